// Command s3client measures the two S3 client libraries stend could use
// for blob.S3 on the one thing it does with them that costs: streaming an
// upload of unknown length (an HTTP request body) into a multipart upload.
// Each run is one process, so that its peak RSS is the library's alone:
//
//	go run . -client minio -size 1073741824
//	go run . -client aws -size 1073741824
//
// The server is named by AWS_ENDPOINT_URL, the bucket by -bucket;
// credentials come from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// stream yields n bytes of a repeated random block, with neither Len nor
// Seek: a library cannot learn the size in advance, as with a request body.
type stream struct {
	block []byte
	left  int64
	pos   int
}

func (s *stream) Read(p []byte) (int, error) {
	if s.left == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(int64(len(p)), s.left)], s.block[s.pos:])
	s.pos = (s.pos + n) % len(s.block)
	s.left -= int64(n)
	return n, nil
}

func hwm() string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "?"
}

const partSize = 16 << 20

func main() {
	client := flag.String("client", "minio", "minio or aws")
	size := flag.Int64("size", 1<<30, "bytes to upload")
	bucket := flag.String("bucket", "stend-bench", "bucket (made if missing)")
	flag.Parse()
	endpoint := os.Getenv("AWS_ENDPOINT_URL")
	block := make([]byte, 1<<20+7)
	_, _ = rand.Read(block)
	ctx := context.Background()
	body := &stream{block: block, left: *size}
	start := time.Now()
	switch *client {
	case "minio":
		u, err := url.Parse(endpoint)
		if err != nil {
			log.Fatal(err)
		}
		c, err := minio.New(u.Host, &minio.Options{Creds: credentials.NewEnvAWS(), Secure: u.Scheme == "https", Region: "us-east-1"})
		if err != nil {
			log.Fatal(err)
		}
		_ = c.MakeBucket(ctx, *bucket, minio.MakeBucketOptions{})
		start = time.Now()
		if _, err := c.PutObject(ctx, *bucket, "bench", body, -1, minio.PutObjectOptions{PartSize: partSize, NumThreads: 2, ConcurrentStreamParts: true}); err != nil {
			log.Fatal(err)
		}
	case "aws":
		cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion("us-east-1"))
		if err != nil {
			log.Fatal(err)
		}
		c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
		_, _ = c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: bucket})
		start = time.Now()
		up := manager.NewUploader(c, func(u *manager.Uploader) { u.PartSize = partSize; u.Concurrency = 2 })
		if _, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: bucket, Key: aws.String("bench"), Body: body}); err != nil {
			log.Fatal(err)
		}
	default:
		log.Fatalf("client %q", *client)
	}
	el := time.Since(start)
	fmt.Printf("%s: %d bytes in %v: %.0f MB/s, VmHWM %s\n", *client, *size, el.Round(time.Millisecond), float64(*size)/el.Seconds()/1e6, hwm())
	_ = bytes.MinRead
}
