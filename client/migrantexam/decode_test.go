package migrantexam_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"stend/client/migrantexam"
)

// Answers the server never gives, canned: the client must refuse them as
// ErrMalformed rather than pass a zero value on, and map what a proxy in
// front of the API answers by its status.
func TestAnswersOffTheProtocol(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		status      int
		contentType string
		body        string
		want        error
		retryAfter  time.Duration
		header      string
	}{
		"no reportId":           {200, "application/json", `{}`, migrantexam.ErrMalformed, 0, ""},
		"reportId zero":         {200, "application/json", `{"reportId":0}`, migrantexam.ErrMalformed, 0, ""},
		"reportId a string":     {200, "application/json", `{"reportId":"5"}`, migrantexam.ErrMalformed, 0, ""},
		"an unknown field":      {200, "application/json", `{"reportId":5,"version":2}`, migrantexam.ErrMalformed, 0, ""},
		"two values":            {200, "application/json", `{"reportId":5}{}`, migrantexam.ErrMalformed, 0, ""},
		"not JSON":              {200, "text/html", `<html>`, migrantexam.ErrMalformed, 0, ""},
		"400 of neither shape":  {400, "application/json", `{"message":"bad"}`, migrantexam.ErrMalformed, 0, ""},
		"400 rule not a string": {400, "application/json", `{"error":5}`, migrantexam.ErrMalformed, 0, ""},
		"a proxy's 502":         {502, "text/html", `<html>Bad Gateway</html>`, migrantexam.ErrUnavailable, 0, ""},
		"503 with a date":       {503, "text/plain", ``, migrantexam.ErrUnavailable, 2 * time.Hour, time.Now().Add(2*time.Hour + 30*time.Second).UTC().Format(http.TimeFormat)},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", tc.contentType)
			if tc.header != "" {
				w.Header().Set("Retry-After", tc.header)
			}
			w.WriteHeader(tc.status)
			w.Write([]byte(tc.body))
		}))
		_, err := migrantexam.New(srv.URL, alpha).Submit(t.Context(), week())
		srv.Close()
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v", name, err)
		}
		var apiErr *migrantexam.APIError
		if tc.retryAfter > 0 && (!errors.As(err, &apiErr) || apiErr.RetryAfter < tc.retryAfter || apiErr.RetryAfter > tc.retryAfter+time.Minute) {
			t.Errorf("%s: Retry-After %v", name, err)
		}
	}
}
