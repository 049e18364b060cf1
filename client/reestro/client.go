package reestro

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Prefix is the API's documented base path, appended to the base URL.
const Prefix = "/realty/assessment/v1/"

// Defaults of the options.
const (
	DefaultPollFirst = 200 * time.Millisecond
	DefaultPollMax   = 5 * time.Second
	// DefaultTimeout bounds one HTTP exchange of the default HTTP client;
	// the caller's context bounds everything else.
	DefaultTimeout = time.Minute
	// maxAnswerBytes bounds what is read of an answer: a Processed check
	// of every region of people with many proceedings is a few megabytes.
	maxAnswerBytes = 64 << 20
)

// Credentials are what the Authorization header carries: an API key and
// the organization (portal.orgid, a GUID) it acts for.
type Credentials struct {
	APIKey, OrgID string
}

// Client calls the API. It is safe for concurrent use.
type Client struct {
	base      string // scheme://host[/path]/realty/assessment/v1/
	auth      string
	http      *http.Client
	pollFirst time.Duration
	pollMax   time.Duration
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

// WithPollBackoff sets how Wait polls a check: first after the first
// answer that it is Processing, doubling up to maxDelay. Zero or negative
// values keep the defaults (DefaultPollFirst, DefaultPollMax).
func WithPollBackoff(first, maxDelay time.Duration) Option {
	return func(c *Client) {
		if first > 0 {
			c.pollFirst = first
		}
		if maxDelay > 0 {
			c.pollMax = maxDelay
		}
		c.pollMax = max(c.pollMax, c.pollFirst)
	}
}

// New returns a client of the API at baseURL ("https://reestro.example",
// "http://127.0.0.1:8080"). The documented path /realty/assessment/v1/ is
// appended; a baseURL that already ends with it is taken as is.
func New(baseURL string, creds Credentials, opts ...Option) *Client {
	base := strings.TrimRight(baseURL, "/")
	if !strings.HasSuffix(base, strings.TrimSuffix(Prefix, "/")) {
		base += strings.TrimSuffix(Prefix, "/")
	}
	c := &Client{
		base: base + "/",
		// The server reads the values URL-decoded, so a key with & or = in
		// it survives.
		auth:      "ReestroAuth apiKey=" + url.QueryEscape(creds.APIKey) + "&portal.orgid=" + url.QueryEscape(creds.OrgID),
		http:      &http.Client{Timeout: DefaultTimeout},
		pollFirst: DefaultPollFirst,
		pollMax:   DefaultPollMax,
		now:       time.Now,
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// CreateSubject stores a person the organization checks and returns the
// subject's id (POST /subjects).
func (c *Client) CreateSubject(ctx context.Context, p Person) (string, error) {
	raw, err := c.do(ctx, http.MethodPost, "subjects", nil, subjectBody(p))
	if err != nil {
		return "", err
	}
	return decodeID("subjects", raw, "subjectId")
}

// CreateCheck creates an Fssp check, which starts Processing at once, and
// returns its id (POST /checks).
func (c *Client) CreateCheck(ctx context.Context, n NewCheck) (string, error) {
	body := checkBody{CorrelationID: n.CorrelationID, ExternalID: n.ExternalID}
	body.Fssp.SubjectID, body.Fssp.Regions = n.SubjectID, n.Regions
	if body.Fssp.Regions == nil {
		body.Fssp.Regions = []string{}
	}
	raw, err := c.do(ctx, http.MethodPost, "checks", nil, body)
	if err != nil {
		return "", err
	}
	return decodeID("checks", raw, "checkId")
}

// Check reads one check, with its results once Processed and why it
// failed once Failed (GET /checks/{checkId}).
func (c *Client) Check(ctx context.Context, id string) (*Check, error) {
	raw, err := c.do(ctx, http.MethodGet, "checks/"+url.PathEscape(id), nil, nil)
	if err != nil {
		return nil, err
	}
	return decodeCheck(raw)
}

// ListChecks reads one page of the organization's checks, newest first
// (GET /checks, the document's method).
func (c *Client) ListChecks(ctx context.Context, q Query) (*Page, error) {
	raw, err := c.do(ctx, http.MethodGet, "checks", q.values(), nil)
	if err != nil {
		return nil, err
	}
	return decodePage(raw)
}

// All lists every check q selects, newest first, page after page
// (AfterCheckID), until a page is empty or the caller stops. An error
// ends the sequence after it is yielded.
func (c *Client) All(ctx context.Context, q Query) iter.Seq2[Check, error] {
	return func(yield func(Check, error) bool) {
		for {
			page, err := c.ListChecks(ctx, q)
			if err != nil {
				yield(Check{}, err)
				return
			}
			for _, ch := range page.Checks {
				if !yield(ch, nil) {
					return
				}
			}
			if page.LastCheckID == "" {
				return
			}
			q.AfterCheckID = page.LastCheckID
		}
	}
}

// Wait reads the check at growing intervals (WithPollBackoff) until it
// has left Processing, and returns it: Processed, or Failed (Check.Err).
// Give ctx a deadline; when it ends first, the error wraps ctx.Err(). An
// answer that the service is unavailable (ErrUnavailable) is waited out;
// any other error ends the wait.
func (c *Client) Wait(ctx context.Context, id string) (*Check, error) {
	delay := c.pollFirst
	for {
		ch, err := c.Check(ctx, id)
		pause := delay
		var apiErr *APIError
		switch {
		case ctx.Err() != nil:
			return nil, fmt.Errorf("reestro: wait for check %s: %w", id, ctx.Err())
		case err == nil && ch.State.Finished():
			return ch, nil
		case err == nil:
		case errors.Is(err, ErrUnavailable) && errors.As(err, &apiErr):
			pause = max(pause, apiErr.RetryAfter)
		default:
			return nil, err
		}
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("reestro: wait for check %s: %w", id, ctx.Err())
		case <-t.C:
		}
		delay = min(2*delay, c.pollMax)
	}
}

type personBody struct {
	Surname          string   `json:"surname,omitempty"`
	Name             string   `json:"name,omitempty"`
	Patronymic       string   `json:"patronymic,omitempty"`
	BirthDate        string   `json:"birthDate,omitempty"`
	IdentityDocument *docBody `json:"identityDocument,omitempty"`
}

type docBody struct {
	Series    string `json:"series"`
	Number    string `json:"number"`
	IssueDate string `json:"issueDate,omitempty"`
	Issuer    *struct {
		IssuerCode string `json:"issuerCode"`
	} `json:"issuer,omitempty"`
}

// day is t's calendar day as sent, "" for the zero time (not sent).
func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func subjectBody(p Person) any {
	b := personBody{Surname: p.Surname, Name: p.Name, Patronymic: p.Patronymic, BirthDate: day(p.BirthDate)}
	if d := p.IdentityDocument; d != nil {
		b.IdentityDocument = &docBody{Series: d.Series, Number: d.Number, IssueDate: day(d.IssueDate)}
		if d.IssuerCode != "" {
			b.IdentityDocument.Issuer = &struct {
				IssuerCode string `json:"issuerCode"`
			}{d.IssuerCode}
		}
	}
	return struct {
		Person personBody `json:"person"`
	}{b}
}

type checkBody struct {
	Fssp struct {
		SubjectID string   `json:"subjectId"`
		Regions   []string `json:"regions"`
	} `json:"fssp"`
	CorrelationID string `json:"correlationId,omitempty"`
	ExternalID    string `json:"externalId,omitempty"`
}

// do calls the API and returns the body of a 200, or the error answer.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body any) ([]byte, error) {
	op := method + " " + path
	target := c.base + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var rdr io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("reestro: %s: %w", op, err)
		}
		rdr = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rdr)
	if err != nil {
		return nil, fmt.Errorf("reestro: %s: %w", op, err)
	}
	req.Header.Set("Authorization", c.auth)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("reestro: %s: %w", op, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reestro: %s: read answer: %w", op, err)
	}
	if len(data) > maxAnswerBytes {
		return nil, malformed(op, "answer over %d bytes", maxAnswerBytes)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, answerError(op, resp, data, c.now())
	}
	if !isJSON(resp.Header.Get("Content-Type")) {
		return nil, malformed(op, "200 with Content-Type %q", resp.Header.Get("Content-Type"))
	}
	return data, nil
}
