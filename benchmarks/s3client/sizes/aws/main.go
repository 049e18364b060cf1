package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func main() {
	cfg, _ := config.LoadDefaultConfig(context.Background())
	c := s3.NewFromConfig(cfg)
	fmt.Println(c.HeadBucket(context.Background(), nil))
	_ = http.Get
}
