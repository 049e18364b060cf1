package fssp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Prefix is the API's documented base path, appended to the base URL.
const Prefix = "/api/v1.0/"

// MaxGroupSize is the document's limit of sub-requests in one group
// request; SearchGroup splits larger groups into chunks of this size.
const MaxGroupSize = 100

// Defaults of the options.
const (
	DefaultPollFirst = 200 * time.Millisecond
	DefaultPollMax   = 5 * time.Second
	// DefaultTimeout bounds one HTTP exchange of the default HTTP client;
	// the caller's context bounds everything else.
	DefaultTimeout = time.Minute
	// maxAnswerBytes bounds what is read of an answer: a full group result
	// (100 sub-requests of 100 items) is a few megabytes.
	maxAnswerBytes = 64 << 20
)

// Client calls the FSSP data bank API. It is safe for concurrent use.
type Client struct {
	base      string // scheme://host[/path]/api/v1.0/
	token     string
	http      *http.Client
	pollFirst time.Duration
	pollMax   time.Duration
	loc       *time.Location
	now       func() time.Time
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient sets the HTTP client (transport, proxy, TLS, timeouts).
// The default is a client with DefaultTimeout.
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) {
		if h != nil {
			c.http = h
		}
	}
}

// WithPollBackoff sets how Wait polls /status: first after the first
// answer that the task is not finished, doubling up to maxDelay. Zero or
// negative values keep the defaults (DefaultPollFirst, DefaultPollMax).
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

// moscow is the zone the service writes task_start and task_end in. Fixed,
// because Moscow has kept UTC+3 without daylight saving since 2014 and
// time.LoadLocation needs a tz database that minimal images lack.
var moscow = time.FixedZone("MSK", 3*60*60)

// WithLocation sets the zone Result's TaskStart and TaskEnd are read in,
// which must be the server's (stend: its --timezone, Europe/Moscow by
// default, as the real service).
func WithLocation(loc *time.Location) Option {
	return func(c *Client) {
		if loc != nil {
			c.loc = loc
		}
	}
}

// New returns a client of the API at baseURL ("https://api-ip.fssprus.ru",
// "http://127.0.0.1:8080"), which calls it with token. The documented path
// /api/v1.0/ is appended; a baseURL that already ends with it is taken as
// is, since the document gives the endpoint with it.
func New(baseURL, token string, opts ...Option) *Client {
	base := strings.TrimRight(baseURL, "/")
	if !strings.HasSuffix(base, strings.TrimSuffix(Prefix, "/")) {
		base += strings.TrimSuffix(Prefix, "/")
	}
	c := &Client{
		base:      base + "/",
		token:     token,
		http:      &http.Client{Timeout: DefaultTimeout},
		pollFirst: DefaultPollFirst,
		pollMax:   DefaultPollMax,
		loc:       moscow,
		now:       time.Now,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// SearchPhysical submits a search for a person's proceedings and returns
// its task id.
func (c *Client) SearchPhysical(ctx context.Context, q PhysicalQuery) (string, error) {
	return c.search(ctx, "search/physical", q.params())
}

// SearchLegal submits a search for a legal entity's proceedings and
// returns its task id.
func (c *Client) SearchLegal(ctx context.Context, q LegalQuery) (string, error) {
	return c.search(ctx, "search/legal", q.params())
}

// SearchIP submits a search for a proceeding by its number and returns its
// task id.
func (c *Client) SearchIP(ctx context.Context, q IPQuery) (string, error) {
	return c.search(ctx, "search/ip", q.params())
}

func (c *Client) search(ctx context.Context, method string, params map[string]any) (string, error) {
	q := url.Values{}
	for k, v := range params {
		q.Set(k, fmt.Sprint(v))
	}
	raw, err := c.get(ctx, method, q)
	if err != nil {
		return "", err
	}
	return decodeTask(method, raw)
}

type groupItem struct {
	Type   int            `json:"type"`
	Params map[string]any `json:"params"`
}

// SearchGroup submits reqs as group requests of at most MaxGroupSize each,
// in order, and returns their task ids in the same order: the results of
// task i are reqs[i*MaxGroupSize:]. The server validates a whole chunk
// before accepting it, so one bad sub-request refuses its chunk
// (ErrInvalid). When a chunk is refused, the ids of the chunks already
// accepted are returned with the error: those tasks run anyway.
func (c *Client) SearchGroup(ctx context.Context, reqs []Request) ([]string, error) {
	if len(reqs) == 0 {
		return nil, fmt.Errorf("%w: empty group", ErrInvalid)
	}
	items := make([]groupItem, len(reqs))
	for i, r := range reqs {
		it, err := r.item()
		if err != nil {
			return nil, fmt.Errorf("%w: request %d: %v", ErrInvalid, i, err)
		}
		items[i] = it
	}
	ids := make([]string, 0, (len(items)+MaxGroupSize-1)/MaxGroupSize)
	for start := 0; start < len(items); start += MaxGroupSize {
		chunk := items[start:min(start+MaxGroupSize, len(items))]
		// The token goes in the body: the document asks not to send it as
		// a parameter of a group request.
		body, err := json.Marshal(struct {
			Token   string      `json:"token"`
			Request []groupItem `json:"request"`
		}{c.token, chunk})
		if err != nil {
			return ids, fmt.Errorf("fssp: search/group: %w", err)
		}
		raw, err := c.do(ctx, "search/group", http.MethodPost, c.base+"search/group", bytes.NewReader(body))
		if err != nil {
			if len(ids) > 0 {
				err = fmt.Errorf("after %d of %d chunks: %w", len(ids), cap(ids), err)
			}
			return ids, err
		}
		id, err := decodeTask("search/group", raw)
		if err != nil {
			return ids, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func (r Request) item() (groupItem, error) {
	n := 0
	var it groupItem
	if r.Physical != nil {
		n++
		it = groupItem{TypePhysical, r.Physical.params()}
	}
	if r.Legal != nil {
		n++
		it = groupItem{TypeLegal, r.Legal.params()}
	}
	if r.IP != nil {
		n++
		it = groupItem{TypeIP, r.IP.params()}
	}
	if n != 1 {
		return it, fmt.Errorf("%d queries set, want exactly one", n)
	}
	return it, nil
}

// Status asks how far a task is.
func (c *Client) Status(ctx context.Context, taskID string) (Status, error) {
	raw, err := c.get(ctx, "status", url.Values{"task": {taskID}})
	if err != nil {
		return Status{}, err
	}
	return decodeStatus(raw)
}

// Result fetches a task's results: all of them once it is finished, the
// first ones finished while it runs, none while it is queued.
func (c *Client) Result(ctx context.Context, taskID string) (*Result, error) {
	raw, err := c.get(ctx, "result", url.Values{"task": {taskID}})
	if err != nil {
		return nil, err
	}
	return decodeResult(raw, c.loc)
}

// Wait polls the task's status, at growing intervals (WithPollBackoff),
// until it is finished (TaskDone or TaskDoneWithErrors), then returns its
// results. Give ctx a deadline: a task may stay queued as long as the
// server is busy. When ctx ends first, the error wraps ctx.Err(). An answer
// that the service is unavailable (ErrUnavailable) is waited out, since
// the task lives on in the server's database; any other error ends the
// wait.
func (c *Client) Wait(ctx context.Context, taskID string) (*Result, error) {
	delay := c.pollFirst
	finished := false
	for {
		var (
			res *Result
			err error
		)
		// stend answers the status of a finished task from memory, so
		// /status may say done while /result, which reads the database,
		// still fails: once finished, only /result is retried.
		if finished {
			res, err = c.Result(ctx, taskID)
		} else {
			var st Status
			st, err = c.Status(ctx, taskID)
			finished = err == nil && st.State.Finished()
			if finished {
				res, err = c.Result(ctx, taskID)
			}
		}
		pause := delay
		switch {
		case ctx.Err() != nil:
			return nil, c.ctxErr(ctx, taskID)
		case err == nil && res != nil:
			return res, nil
		case err == nil:
		case errors.Is(err, ErrUnavailable):
			var apiErr *APIError
			if errors.As(err, &apiErr) {
				pause = max(pause, apiErr.RetryAfter)
			}
		default:
			return nil, err
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, c.ctxErr(ctx, taskID)
		case <-t.C:
		}
		delay = min(2*delay, c.pollMax)
	}
}

func (c *Client) ctxErr(ctx context.Context, taskID string) error {
	return fmt.Errorf("fssp: wait for task %s: %w", taskID, ctx.Err())
}

// Group submits reqs (SearchGroup), waits for every task and returns one
// sub-result per request, in the order of reqs. A sub-request whose search
// failed on the server is not an error here: its SubResult has a Failure.
// Any error returns no results, though the chunks accepted before it run
// on; to keep them, call SearchGroup and Wait.
func (c *Client) Group(ctx context.Context, reqs []Request) ([]SubResult, error) {
	ids, err := c.SearchGroup(ctx, reqs)
	if err != nil {
		return nil, err
	}
	out := make([]SubResult, 0, len(reqs))
	// Sequential waits cost no time: the server runs every task at once,
	// so by the time the first is done the others mostly are too.
	for i, id := range ids {
		res, err := c.Wait(ctx, id)
		if err != nil {
			return nil, err
		}
		want := min(MaxGroupSize, len(reqs)-i*MaxGroupSize)
		if len(res.Results) != want {
			return nil, malformed("result", "task %s finished with %d sub-results for %d requests", id, len(res.Results), want)
		}
		out = append(out, res.Results...)
	}
	return out, nil
}

func (c *Client) get(ctx context.Context, method string, params url.Values) (json.RawMessage, error) {
	params.Set("token", c.token)
	return c.do(ctx, method, http.MethodGet, c.base+method+"?"+params.Encode(), nil)
}

func (c *Client) do(ctx context.Context, method, httpMethod, target string, body io.Reader) (json.RawMessage, error) {
	req, err := http.NewRequestWithContext(ctx, httpMethod, target, body)
	if err != nil {
		return nil, fmt.Errorf("fssp: %s: %w", method, redact(err))
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fssp: %s: %w", method, redact(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes+1))
	if err != nil {
		return nil, fmt.Errorf("fssp: %s: read answer: %w", method, redact(err))
	}
	if len(data) > maxAnswerBytes {
		return nil, malformed(method, "answer over %d bytes", maxAnswerBytes)
	}
	return answer(method, resp, data, c.now())
}

// redact removes the query string from the URL that net/http puts in its
// errors: it holds the token, and errors end up in logs.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil && u.RawQuery != "" {
			u.RawQuery = "redacted"
			ue.URL = u.String()
		} else if perr != nil {
			ue.URL = "(unparsable URL)"
		}
	}
	return err
}
