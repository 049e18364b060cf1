package journal

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"stend/httpx"
)

// Recorder is the middleware that journals the requests to the published
// APIs (those named in APIs) through a Writer.
type Recorder struct {
	Writer *Writer
	// MaxBody bounds what is kept of a request's body and of its answer.
	MaxBody int
	// APIs names the APIs journalled (httpx.API names).
	APIs map[string]bool
	// Now is the stand's clock: entries carry the time the stand's rules
	// saw.
	Now func() time.Time
}

// Wrap journals the requests next serves. It must run inside
// httpx.Observe, which labels each request with its API and route.
func (rec *Recorder) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		at := rec.Now()
		body := &capturingBody{ReadCloser: r.Body, max: rec.MaxBody}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = body
		}
		cw := &capturingWriter{ResponseWriter: w, max: rec.MaxBody}
		next.ServeHTTP(cw, r)
		api, route, credential := httpx.RouteOf(r.Context())
		if !rec.APIs[api] {
			return
		}
		fault, cut := httpx.FaultOf(r.Context())
		if cw.status == 0 && !cut {
			cw.status = http.StatusOK
		}
		e := Entry{At: at, RequestID: httpx.RequestID(r.Context()), API: api, Route: route, Method: r.Method,
			Path: r.URL.Path, Query: maskQuery(r.URL.RawQuery), Headers: maskHeaders(r.Header), Credential: credential,
			BodySize: body.size, Status: cw.status, AnswerSize: cw.size, DurationUS: time.Since(start).Microseconds(), Fault: fault}
		e.Body, e.BodyIsJSON = text(maskBody(body.kept, r.Header.Get("Content-Type")), body.size, body.size <= int64(rec.MaxBody))
		var answerJSON bool
		e.Answer, answerJSON = text(cw.kept, cw.size, cw.size <= int64(rec.MaxBody))
		if e.Status >= 400 && answerJSON {
			e.Reason = refusal([]byte(e.Answer))
		}
		rec.Writer.Add(e)
	})
}

// refusal is why an answer refused a request, in the API's own words: the
// first message its envelope carries (FSSP's exception, the migrant-exam
// error or first validation error, Reestro's and Motivity's message or
// first error), with the field it names.
func refusal(answer []byte) string {
	var a struct {
		Exception string          `json:"exception"`
		Error     json.RawMessage `json:"error"`
		Message   string          `json:"message"`
		Title     string          `json:"title"`
		Errors    json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(answer, &a) != nil {
		return ""
	}
	var list []struct{ Message, Cause string }
	if json.Unmarshal(a.Errors, &list) == nil && len(list) > 0 {
		if list[0].Cause != "" {
			return list[0].Message + " (" + list[0].Cause + ")"
		}
		return list[0].Message
	}
	var fields map[string][]string
	if json.Unmarshal(a.Errors, &fields) == nil && len(fields) > 0 {
		keys := make([]string, 0, len(fields))
		for k := range fields {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if msgs := fields[keys[0]]; len(msgs) > 0 {
			return keys[0] + ": " + msgs[0]
		}
	}
	var errText string
	if json.Unmarshal(a.Error, &errText) == nil && errText != "" {
		return errText
	}
	for _, s := range []string{a.Exception, a.Message, a.Title} {
		if s != "" {
			return s
		}
	}
	return ""
}

// text is what a journal keeps of bytes: themselves when they are text
// every store can hold (UTF-8 without NUL), else a note of their size; and
// whether they are JSON (only when whole).
func text(b []byte, size int64, whole bool) (string, bool) {
	if !utf8.Valid(b) || strings.IndexByte(string(b), 0) >= 0 {
		// A body cut at the bound may end inside a character: keep
		// what is whole.
		for i := 1; i <= 3 && len(b) > 0 && !utf8.Valid(b); i++ {
			b = b[:len(b)-1]
		}
		if !utf8.Valid(b) || strings.IndexByte(string(b), 0) >= 0 {
			return "<binary, " + itoa(size) + " bytes>", false
		}
	}
	return string(b), whole && json.Valid(b)
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// capturingBody keeps the first max bytes read of a body and counts them
// all; it never reads more than the handler does.
type capturingBody struct {
	io.ReadCloser
	max  int
	kept []byte
	size int64
}

func (b *capturingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.size += int64(n)
	if room := b.max - len(b.kept); room > 0 && n > 0 {
		b.kept = append(b.kept, p[:min(n, room)]...)
	}
	return n, err
}

// capturingWriter keeps the first max bytes of an answer and its status.
type capturingWriter struct {
	http.ResponseWriter
	max    int
	kept   []byte
	size   int64
	status int
}

func (w *capturingWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *capturingWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.size += int64(n)
	if room := w.max - len(w.kept); room > 0 && n > 0 {
		w.kept = append(w.kept, p[:min(n, room)]...)
	}
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flushes,
// deadlines of streamed answers).
func (w *capturingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

const masked = "***"

// secretHeaders are masked whole; Authorization keeps its scheme, and
// ReestroAuth its portal.orgid, which is not a secret.
var secretHeaders = map[string]bool{"X-Api-Key": true, "X-Auth-Token": true, "Cookie": true, "Proxy-Authorization": true}

var reestroKey = regexp.MustCompile(`(?i)(apiKey=)[^&\s]*`)

func maskHeaders(h http.Header) string {
	out := make(map[string][]string, len(h))
	for name, values := range h {
		vs := make([]string, len(values))
		for i, v := range values {
			switch {
			case secretHeaders[name]:
				v = masked
			case name == "Authorization":
				scheme, rest, _ := strings.Cut(v, " ")
				if strings.EqualFold(scheme, "ReestroAuth") {
					v = scheme + " " + reestroKey.ReplaceAllString(rest, "${1}"+masked)
				} else {
					v = scheme + " " + masked
				}
			}
			vs[i] = v
		}
		out[name] = vs
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// maskQuery masks the FSSP token (and any parameter of that name).
func maskQuery(raw string) string {
	if raw == "" || !strings.Contains(strings.ToLower(raw), "token") {
		return raw
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return tokenInForm.ReplaceAllString(raw, "${1}"+masked)
	}
	for k := range q {
		if strings.EqualFold(k, "token") {
			q[k] = []string{masked}
		}
	}
	return q.Encode()
}

var (
	tokenInForm = regexp.MustCompile(`(?i)((?:^|&)token=)[^&]*`)
	tokenInJSON = regexp.MustCompile(`(?i)("token"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\]\s]+)`)
)

// maskBody masks a token in a form or JSON body (FSSP takes its token in
// the body of /search/group, and clients send parameters every way).
func maskBody(b []byte, contentType string) []byte {
	if len(b) == 0 || !strings.Contains(strings.ToLower(string(b)), "token") {
		return b
	}
	if strings.HasPrefix(strings.ToLower(contentType), "application/x-www-form-urlencoded") {
		return []byte(tokenInForm.ReplaceAllString(string(b), "${1}"+masked))
	}
	return tokenInJSON.ReplaceAll(b, []byte(`${1}"`+masked+`"`))
}
