package blob_test

import (
	"testing"

	"stend/blob/blobtest"
)

// The suite against a real S3-compatible server (.ci/run starts
// SeaweedFS and sets STEND_TEST_S3_ENDPOINT); skipped where there is none.
func TestS3(t *testing.T) {
	t.Parallel()
	if !blobtest.S3Configured() {
		t.Skip(blobtest.S3EndpointEnv + " names no S3 server")
	}
	blobtest.Run(t, blobtest.OpenS3(t))
}
