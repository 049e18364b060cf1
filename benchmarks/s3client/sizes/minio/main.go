package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

func main() {
	c, _ := minio.New("x", &minio.Options{Creds: credentials.NewEnvAWS()})
	fmt.Println(c.BucketExists(context.Background(), "b"))
	_ = http.Get
}
