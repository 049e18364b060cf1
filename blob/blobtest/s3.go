package blobtest

import (
	"context"
	"encoding/hex"
	"os"
	"testing"

	"stend/blob"
)

// The S3-compatible server of the tests (.ci/run starts SeaweedFS there);
// credentials come from the usual AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY.
const (
	S3EndpointEnv = "STEND_TEST_S3_ENDPOINT"
	S3BucketEnv   = "STEND_TEST_S3_BUCKET"
)

// S3Configured reports whether the tests have an S3 server.
func S3Configured() bool { return os.Getenv(S3EndpointEnv) != "" }

// S3Config is the test server's settings under a prefix of its own, so that
// parallel tests share one bucket without seeing each other's objects.
func S3Config(t testing.TB) blob.S3Config {
	bucket := os.Getenv(S3BucketEnv)
	if bucket == "" {
		bucket = "stend-test"
	}
	return blob.S3Config{Endpoint: os.Getenv(S3EndpointEnv), Bucket: bucket, Region: "us-east-1",
		Prefix: "t-" + hex.EncodeToString(Random(8)) + "/"}
}

// OpenS3 opens the test server under a fresh prefix, emptied when the test
// ends.
func OpenS3(t testing.TB) blob.Store {
	t.Helper()
	s, err := blob.NewS3(context.Background(), S3Config(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		for info, err := range s.List(ctx, "") {
			if err != nil {
				t.Error(err)
				return
			}
			_ = s.Delete(ctx, info.Key)
		}
	})
	return s
}
