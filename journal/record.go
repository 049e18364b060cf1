package journal

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"stend/httpx"
)

// Recorder is the middleware that journals the requests to the published
// APIs it wraps (each one: not the operator API, health or metrics)
// through a Writer.
type Recorder struct {
	Writer *Writer
	// MaxBody bounds what is kept of a request's body and of its answer.
	MaxBody int
	// Now is the stand's clock: entries carry the time the stand's rules
	// saw.
	Now func() time.Time
}

// Wrap journals the requests next serves. It must run inside
// httpx.Observe, which labels each request with its API and route.
func (rec *Recorder) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if httpx.IsInternal(r.Context()) {
			next.ServeHTTP(w, r) // the node's own calls are not clients'
			return
		}
		// In flight until its entry is queued: a read of the journal
		// waits for it (Writer.Flush), although the client may have its
		// answer already (flushed as it was written, or a cut connection).
		id, end := rec.Writer.begin()
		defer end()
		r = r.WithContext(context.WithValue(r.Context(), requestKey{}, id))
		start := time.Now()
		at := rec.Now()
		body := &capturingBody{ReadCloser: r.Body, max: rec.MaxBody}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = body
		}
		cw := &capturingWriter{ResponseWriter: w, max: rec.MaxBody}
		next.ServeHTTP(cw, r)
		api, route, credential := httpx.RouteOf(r.Context())
		fault, cut := httpx.FaultOf(r.Context())
		if cw.status == 0 && !cut {
			cw.status = http.StatusOK
		}
		secrets := scrubbable(httpx.SecretsOf(r.Context()))
		e := Entry{At: at, RequestID: httpx.RequestID(r.Context()), API: api, Route: route, Method: r.Method,
			Path: storable(scrub(r.URL.Path, secrets)), Query: storable(scrub(maskQuery(r.URL.RawQuery), secrets)),
			Headers: scrub(maskHeaders(r.Header), secrets), Credential: credential,
			BodySize: body.size, Status: cw.status, AnswerSize: cw.size, DurationUS: time.Since(start).Microseconds(), Fault: fault}
		e.Body, e.BodyIsJSON = text([]byte(scrub(string(maskBody(body.kept)), secrets)), body.size, body.size <= int64(rec.MaxBody))
		var answerJSON bool
		e.Answer, answerJSON = text([]byte(scrub(string(cw.kept), secrets)), cw.size, cw.size <= int64(rec.MaxBody))
		if e.Status >= 400 && answerJSON {
			e.Reason = refusal([]byte(e.Answer))
		}
		rec.Writer.Add(e)
	})
}

// minScrubbed is the shortest secret scrubbed wherever it appears: a
// shorter one (a mistyped password of two letters) would mask every place
// those letters occur, and no credential the stand issues is that short.
const minScrubbed = 6

// scrubbable is every way a request may have carried each secret: as
// sent, URL-escaped (query and form), JSON-escaped, and as a Basic
// credential's base64.
func scrubbable(secrets []string) []string {
	var out []string
	for _, s := range secrets {
		if len(s) < minScrubbed {
			continue
		}
		j, _ := json.Marshal(s)          // with HTML escapes (\u0026)
		plain, _ := httpx.MarshalJSON(s) // as most clients write JSON
		out = append(out, s, url.QueryEscape(s), url.PathEscape(s), string(j[1:len(j)-1]), string(plain[1:len(plain)-1]))
	}
	return out
}

func scrub(s string, secrets []string) string {
	for _, x := range secrets {
		if x != "" && strings.Contains(s, x) {
			s = strings.ReplaceAll(s, x, masked)
		}
	}
	return s
}

// storable is s as every store can keep it: UTF-8 (a path may carry any
// bytes, %ff), without NUL.
func storable(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
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
			return "<binary, " + strconv.FormatInt(size, 10) + " bytes>", false
		}
	}
	return string(b), whole && json.Valid(b) && !jsonbRefuses.Match(b)
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

var reestroKey = regexp.MustCompile(`(?i)(apiKey\s*=)[^&]*`)

func maskHeaders(h http.Header) string {
	out := make(map[string][]string, len(h))
	for name, values := range h {
		vs := make([]string, len(values))
		for i, v := range values {
			switch {
			case secretHeaders[name]:
				v = masked
			case name == "Authorization":
				v = maskAuthorization(v)
			}
			vs[i] = v
		}
		out[name] = vs
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// maskAuthorization keeps the scheme of the schemes the APIs take, and a
// ReestroAuth's organization; anything else is masked whole.
func maskAuthorization(v string) string {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(v), " ")
	switch {
	case !ok:
		return masked
	case strings.EqualFold(scheme, "ReestroAuth"):
		return scheme + " " + reestroKey.ReplaceAllString(rest, "${1}"+masked)
	case strings.EqualFold(scheme, "Basic"), strings.EqualFold(scheme, "Bearer"):
		return scheme + " " + masked
	}
	return masked
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

// jsonbRefuses finds what valid JSON may hold and PostgreSQL's jsonb
// refuses (NUL, lone surrogates): such a body is kept as text only.
var jsonbRefuses = regexp.MustCompile(`(?i)\\u(0000|d[89a-f][0-9a-f]{2})`)

var (
	tokenInForm = regexp.MustCompile(`(?i)((?:^|&|\s)token=)[^&\s]*`)
	tokenInJSON = regexp.MustCompile(`(?i)("token"\s*:\s*)("(?:[^"\\]|\\.)*"|[^,}\]\s]+)`)
)

// maskBody masks a token in a JSON or form body, however it was labelled
// (FSSP reads parameters from the body by its shape, and takes its token in
// the body of /search/group). A token the API read is also scrubbed by its
// value (scrub), multipart bodies included.
func maskBody(b []byte) []byte {
	if len(b) == 0 || !strings.Contains(strings.ToLower(string(b)), "token") {
		return b
	}
	if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
		return tokenInJSON.ReplaceAll(b, []byte(`${1}"`+masked+`"`))
	}
	return []byte(tokenInForm.ReplaceAllString(string(b), "${1}"+masked))
}
