package stendtest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
	valerrors "github.com/pb33f/libopenapi-validator/errors"

	"stend/httpx"
	"stend/openapi"
)

// MalformedHeader marks a request a test sends malformed on purpose (a
// missing parameter, a wrong type): the contract check exempts the request
// and still validates the answer. The check removes it before the stand
// sees the request, so nothing the stand records shows it.
const MalformedHeader = "Stend-Test-Malformed"

// Malformed marks req as deliberately malformed (MalformedHeader).
func Malformed(req *http.Request) *http.Request {
	req.Header.Set(MalformedHeader, "1")
	return req
}

// UndocumentedHeader marks a request for which the document has no
// operation on purpose (an unknown path, a method the path does not take, a
// path the router would redirect): the check has nothing to hold it or its
// answer to, so the test holds the answer's bytes itself. Removed before
// the stand sees the request, like MalformedHeader.
const UndocumentedHeader = "Stend-Test-Undocumented"

// Undocumented marks req as one no operation describes (UndocumentedHeader).
func Undocumented(req *http.Request) *http.Request {
	req.Header.Set(UndocumentedHeader, "1")
	return req
}

// maxCaptured bounds what the check keeps of a body: a test's larger
// uploads and reports are checked for their status and headers only.
const maxCaptured = 8 << 20

// checkContract wraps a stand's router: every request to an API whose
// document is validated (openapi.Validated, STEND_OPENAPI_VALIDATE), and
// every answer to it, is validated against the document once the router
// has answered; a mismatch fails t. The bodies are kept as they stream
// through, so a handler that reads or writes slowly, or streams, behaves
// as it would unchecked.
func checkContract(t testing.TB, exemptRequests bool, next http.Handler) http.Handler {
	c := &contract{t: t, exemptRequests: exemptRequests, next: next}
	t.Cleanup(func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.done = true
	})
	return c
}

type contract struct {
	t              testing.TB
	exemptRequests bool
	next           http.Handler
	mu             sync.Mutex
	done           bool // the test has ended: a late answer is not its to fail
}

func (c *contract) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	malformed := r.Header.Get(MalformedHeader) != ""
	undocumented := r.Header.Get(UndocumentedHeader) != ""
	r.Header.Del(MalformedHeader)
	r.Header.Del(UndocumentedHeader)
	api, ok := openapi.ForPath(r.URL.Path)
	if !ok || !validating(api.Name) || undocumented {
		c.next.ServeHTTP(w, r)
		return
	}
	checked := r.Clone(r.Context())
	var faulted atomic.Bool
	r = r.WithContext(httpx.WatchFaults(r.Context(), &faulted))
	body := &capturedBody{}
	if r.Body != nil && r.Body != http.NoBody {
		body.src = r.Body
		r.Body = body
	} else {
		body.complete = true
	}
	answer := &capturedAnswer{ResponseWriter: w}
	c.next.ServeHTTP(answer, r)

	var problems []string
	if !malformed && !c.exemptRequests {
		body.finish(r.ContentLength)
		checked.Body = io.NopCloser(bytes.NewReader(body.buf.Bytes()))
		v, err := validatorFor(api.Name, !body.complete || body.overflow, false)
		if err != nil {
			c.fail("openapi: %s: %v", api.Name, err)
			return
		}
		if ok, errs := v.ValidateHttpRequestSync(checked); !ok {
			problems = append(problems, describe("request", errs)...)
		}
	}
	// A client that went away before anything was written was answered
	// nothing: there is no answer to hold to the document.
	gone := answer.status == 0 && r.Context().Err() != nil
	if answer.status == 0 {
		answer.status, answer.header = http.StatusOK, w.Header().Clone() // what net/http sends for a handler that wrote nothing
	}
	if !faulted.Load() && !gone {
		checked.Body = http.NoBody
		skipBody := answer.overflow || checked.Method == http.MethodHead
		v, err := validatorFor(api.Name, false, skipBody)
		if err != nil {
			c.fail("openapi: %s: %v", api.Name, err)
			return
		}
		resp := &http.Response{StatusCode: answer.status, Header: answer.header, Body: io.NopCloser(bytes.NewReader(answer.buf.Bytes()))}
		if ok, errs := v.ValidateHttpResponse(checked, resp); !ok {
			problems = append(problems, describe("answer", errs)...)
		}
	}
	if len(problems) > 0 {
		c.fail("openapi: %s %s (%s) does not hold to the %s document:\n\t%s\nanswer %d: %s",
			r.Method, r.URL.RequestURI(), describeRequest(checked, body), api.Name, strings.Join(problems, "\n\t"),
			answer.status, short(answer.buf.String()))
	}
}

func (c *contract) fail(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.done {
		c.t.Errorf(format, args...)
	}
}

func describeRequest(r *http.Request, body *capturedBody) string {
	if body.buf.Len() == 0 {
		return "no body"
	}
	return r.Header.Get("Content-Type") + ": " + short(body.buf.String())
}

func describe(direction string, errs []*valerrors.ValidationError) []string {
	var out []string
	for _, e := range errs {
		line := fmt.Sprintf("%s: %s: %s", direction, e.Message, e.Reason)
		for i, s := range e.SchemaValidationErrors {
			if i == 8 {
				line += fmt.Sprintf("\n\t\t… %d more", len(e.SchemaValidationErrors)-i)
				break
			}
			line += fmt.Sprintf("\n\t\t%s: %s", s.FieldPath, s.Reason)
		}
		out = append(out, line)
	}
	return out
}

// validating tells whether the tests validate api's traffic.
func validating(api string) bool {
	if slices.Contains(openapi.Validated, api) {
		return true
	}
	return slices.Contains(strings.Split(os.Getenv("STEND_OPENAPI_VALIDATE"), ","), api)
}

type validatorKey struct {
	api                         string
	skipRequestBody, skipAnswer bool
}

var validators sync.Map // validatorKey → *validatorOnce

type validatorOnce struct {
	once sync.Once
	v    validator.Validator
	err  error
}

// validatorFor builds each API's validators once per test binary: a
// document takes tens of milliseconds to compile.
func validatorFor(api string, skipRequestBody, skipAnswerBody bool) (validator.Validator, error) {
	key := validatorKey{api, skipRequestBody, skipAnswerBody}
	o, _ := validators.LoadOrStore(key, &validatorOnce{})
	vo := o.(*validatorOnce)
	vo.once.Do(func() {
		doc, err := openapi.Get(api)
		if err != nil {
			vo.err = err
			return
		}
		parsed, err := libopenapi.NewDocument(doc.JSON)
		if err != nil {
			vo.err = err
			return
		}
		// Credentials are the stand's to check: a test that sends none
		// or a wrong one is checked on the answer the stand gives.
		opts := []config.Option{config.WithoutSecurityValidation(), config.WithFormatAssertions()}
		if skipRequestBody {
			opts = append(opts, config.WithoutRequestBodyValidation())
		}
		if skipAnswerBody {
			opts = append(opts, config.WithoutResponseBodyValidation())
		}
		v, errs := validator.NewValidator(parsed, opts...)
		if len(errs) > 0 {
			vo.err = errors.Join(errs...)
			return
		}
		vo.v = v
	})
	return vo.v, vo.err
}

// capturedBody keeps what the handler reads of a request body.
type capturedBody struct {
	src      io.ReadCloser
	buf      bytes.Buffer
	complete bool // read to its end
	overflow bool // longer than maxCaptured
}

func (b *capturedBody) Read(p []byte) (int, error) {
	n, err := b.src.Read(p)
	if n > 0 {
		if b.buf.Len()+n > maxCaptured {
			b.overflow = true
		} else {
			b.buf.Write(p[:n])
		}
	}
	if err == io.EOF {
		b.complete = true
	}
	return n, err
}

func (b *capturedBody) Close() error { return b.src.Close() }

// finish reads what the handler left of a body of known length: JSON
// decoders stop at the value's end, before EOF, and a body refused unread
// is still the request's to check. A body of unknown length (a test's
// pipe, a chunked upload) may never end, and is left as read.
func (b *capturedBody) finish(length int64) {
	if b.complete || b.overflow || b.src == nil || length < 0 || length > maxCaptured {
		return
	}
	_, _ = io.Copy(io.Discard, b)
}

// capturedAnswer keeps the status, the headers as sent and the body (up to
// maxCaptured) of an answer while passing it on.
type capturedAnswer struct {
	http.ResponseWriter
	status   int
	header   http.Header
	buf      bytes.Buffer
	overflow bool
}

func (a *capturedAnswer) WriteHeader(status int) {
	if a.status == 0 && status >= 200 {
		a.status, a.header = status, a.ResponseWriter.Header().Clone()
	}
	a.ResponseWriter.WriteHeader(status)
}

func (a *capturedAnswer) Write(p []byte) (int, error) {
	if a.status == 0 {
		a.WriteHeader(http.StatusOK)
	}
	if a.buf.Len()+len(p) > maxCaptured {
		a.overflow = true
	} else {
		a.buf.Write(p)
	}
	return a.ResponseWriter.Write(p)
}

// Flush and Unwrap keep what the router's writers need of the real one
// (streamed reports flush; deadlines go through http.ResponseController).
func (a *capturedAnswer) Flush() {
	if a.status == 0 {
		a.WriteHeader(http.StatusOK)
	}
	http.NewResponseController(a.ResponseWriter).Flush()
}

func (a *capturedAnswer) Unwrap() http.ResponseWriter { return a.ResponseWriter }

// Checked holds h, a router a test built itself (a node's Handler after the
// test rewired an API), to the documents as a stand's Handler is held.
func Checked(t testing.TB, h http.Handler) http.Handler { return checkContract(t, false, h) }

// MalformedTransport marks every request it sends Malformed: the transport
// of a client's tests that send deliberately malformed requests through
// the client itself.
type MalformedTransport struct{}

func (MalformedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return http.DefaultTransport.RoundTrip(Malformed(r.Clone(r.Context())))
}
