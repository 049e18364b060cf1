package motivity

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Prefix is the API's documented base path, appended to the base URL.
const Prefix = "/public/api/v1/"

// Defaults of the options.
const (
	// DefaultTimeout bounds one JSON exchange of the default HTTP client.
	// Streams (downloads, uploads, reports) are bounded by the caller's
	// context only: a 10 GB file takes longer than any fixed timeout.
	DefaultTimeout   = time.Minute
	DefaultPollFirst = 200 * time.Millisecond
	DefaultPollMax   = 5 * time.Second
	// maxAnswerBytes bounds what is read of a JSON answer that is decoded
	// whole (everything but reports and files, which are streamed).
	maxAnswerBytes = 64 << 20
)

// Client calls the Motivity public API. It is safe for concurrent use.
type Client struct {
	base      string // scheme://host[/path]/public/api/v1/
	token     string
	locale    string
	http      *http.Client // JSON exchanges
	stream    *http.Client // uploads, downloads, reports: no overall timeout
	pollFirst time.Duration
	pollMax   time.Duration
	lenient   bool
	now       func() time.Time
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (transport, proxy, TLS, timeouts)
// of every call, streams included: give it no Timeout if files or
// reports may take longer than one. The default is a client with
// DefaultTimeout for JSON calls and one without a timeout for streams,
// sharing http.DefaultTransport.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) {
		if h != nil {
			c.http, c.stream = h, h
		}
	}
}

// WithLocale sends the Locale header ("ru", "en", …) with every request:
// badge, quest and report texts come in that language when the platform
// has it, else in the platform's default. Empty sends none.
func WithLocale(locale string) Option {
	return func(c *Client) { c.locale = locale }
}

// WithPollBackoff sets how WaitReport polls a created report: first after
// the first "processing", doubling up to maxDelay. Zero or negative values
// keep the defaults (DefaultPollFirst, DefaultPollMax).
func WithPollBackoff(first, maxDelay time.Duration) Option {
	return func(c *Client) {
		if first > 0 {
			c.pollFirst = first
		}
		if maxDelay > 0 {
			c.pollMax = maxDelay
		}
		if c.pollMax < c.pollFirst {
			c.pollMax = c.pollFirst
		}
	}
}

// WithUnknownFields makes decoding accept fields the client does not
// know. By default an answer with a field that is not in the API's
// documents is ErrMalformed, as one missing a field is: the client then
// notices at once when the server and the contract part ways. A client
// that must keep working against a newer server may turn it off.
func WithUnknownFields() Option {
	return func(c *Client) { c.lenient = true }
}

// New returns a client of the API at baseURL ("https://company.motivity.example",
// "http://127.0.0.1:8080"), calling it with the platform's public token
// (PUBLIC_API_TOKEN). The documented path /public/api/v1/ is appended; a
// baseURL that already ends with it is taken as is.
func New(baseURL, token string, opts ...Option) *Client {
	base := strings.TrimRight(baseURL, "/")
	if !strings.HasSuffix(base, strings.TrimSuffix(Prefix, "/")) {
		base += strings.TrimSuffix(Prefix, "/")
	}
	c := &Client{
		base:      base + "/",
		token:     token,
		http:      &http.Client{Timeout: DefaultTimeout},
		stream:    &http.Client{},
		pollFirst: DefaultPollFirst,
		pollMax:   DefaultPollMax,
		now:       time.Now,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// seg escapes one path segment (an identifier may hold '/' or '@').
func seg(s string) string { return url.PathEscape(s) }

// request builds a request of the API with the token and the locale.
func (c *Client) request(ctx context.Context, op, method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, fmt.Errorf("motivity: %s: %w", op, err)
	}
	req.Header.Set("X-Auth-Token", c.token)
	if c.locale != "" {
		req.Header.Set("Locale", c.locale)
	}
	return req, nil
}

// call sends a JSON request (in is marshalled unless nil) and decodes a
// 200 answer strictly into out. Any other status is an *APIError.
func (c *Client) call(ctx context.Context, op, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("motivity: %s: %w", op, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := c.request(ctx, op, method, path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	data, err := c.exchange(c.http, req, op, http.StatusOK)
	if err != nil {
		return err
	}
	return c.decode(op, data, out)
}

// exchange sends req and reads its answer (bounded); an answer with
// another status than want is an *APIError.
func (c *Client) exchange(client *http.Client, req *http.Request, op string, want int) ([]byte, error) {
	_, data, err := c.exchangeResp(client, req, op, want)
	return data, err
}

func (c *Client) exchangeResp(client *http.Client, req *http.Request, op string, want int) (*http.Response, []byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("motivity: %s: %w", op, err)
	}
	defer resp.Body.Close()
	data, err := readAnswer(op, resp.Body)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != want {
		return nil, nil, c.apiError(op, resp, data)
	}
	return resp, data, nil
}

func readAnswer(op string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxAnswerBytes+1))
	if err != nil {
		return nil, fmt.Errorf("motivity: %s: read answer: %w", op, err)
	}
	if len(data) > maxAnswerBytes {
		return nil, malformed(op, "answer over %d bytes", maxAnswerBytes)
	}
	return data, nil
}

// open sends a request whose answer is a stream and returns the response
// with a 2xx status; an error answer is read (bounded) and returned as an
// *APIError.
func (c *Client) open(req *http.Request, op string) (*http.Response, error) {
	resp, err := c.stream.Do(req)
	if err != nil {
		return nil, fmt.Errorf("motivity: %s: %w", op, err)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp, nil
	}
	defer resp.Body.Close()
	data, err := readAnswer(op, resp.Body)
	if err != nil {
		return nil, err
	}
	return nil, c.apiError(op, resp, data)
}

func (c *Client) decode(op string, data []byte, out any) error {
	if err := strictUnmarshal(data, out, c.lenient); err != nil {
		return malformed(op, "%v", err)
	}
	return nil
}
