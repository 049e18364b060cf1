package motivity

import (
	"bytes"
	"context"
	"net/http"
)

// Raw sends a request the typed methods cannot build (a body the server
// must refuse: not JSON, an unexpected property, two files) and returns
// the server's refusal as the client maps it, so that the tests reach
// every documented text through the real server.
func (c *Client) Raw(ctx context.Context, method, path, contentType string, body []byte) error {
	_, err := c.RawAnswer(ctx, method, path, contentType, body)
	return err
}

// RawAnswer is Raw returning a 200 answer's body.
func (c *Client) RawAnswer(ctx context.Context, method, path, contentType string, body []byte) ([]byte, error) {
	req, err := c.request(ctx, "Raw", method, path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return c.exchange(c.http, req, "Raw", http.StatusOK)
}
