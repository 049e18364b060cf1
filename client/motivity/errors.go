package motivity

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Sentinels of the answer's HTTP status. An *APIError matches the one its
// status stands for.
var (
	// ErrUnauthorized: 401 "Invalid public API token": missing, wrong or
	// rotated, on every path of the API.
	ErrUnauthorized = errors.New("motivity: invalid public API token")
	// ErrRateLimited: 429, a source that kept sending wrong tokens is
	// refused for a while; APIError.RetryAfter says how long.
	ErrRateLimited = errors.New("motivity: rate limited")
	// ErrTooLarge: 413, a JSON body over the server's limit (1 MiB on
	// stend).
	ErrTooLarge = errors.New("motivity: request too large")
	// ErrNotFound: 404 "Not found", no such method at this address (a
	// wrong base URL, an unknown filter list).
	ErrNotFound = errors.New("motivity: no such API method")
	// ErrUnavailable: any 5xx but a failed report (ErrReportFailed): 503
	// "Service temporarily unavailable, try again later", 500 "Internal
	// server error", a proxy's 502.
	ErrUnavailable = errors.New("motivity: service unavailable")
	// ErrMalformed: the answer does not follow the API's documents (not
	// JSON, a field missing, of the wrong type, or unknown).
	ErrMalformed = errors.New("motivity: malformed answer")
)

// Sentinels of the documented error texts. An *APIError matches each text
// it carries (its message or any of its {message, cause} problems); a
// Problem inside a successful answer (a points item, a goal of a batch)
// matches its own. Texts quoted are the server's, byte for byte.
var (
	// ErrRequired: "Required parameters are not filled in": a parameter
	// missing or malformed, or a body the method cannot process.
	ErrRequired = errors.New("motivity: required parameters are not filled in")
	// ErrUserNotFound: "User not found" (badges per user, points, goals,
	// quests).
	ErrUserNotFound = errors.New("motivity: user not found")
	// ErrUnexpectedProperties: "Invalid request format. Unexpected
	// properties: a, b" (goals).
	ErrUnexpectedProperties = errors.New("motivity: unexpected properties")
	// ErrUndecodable: "Could not decode request body" (quest reviews,
	// report filters).
	ErrUndecodable = errors.New("motivity: could not decode request body")

	// Badges.
	ErrBadgeNotFound = errors.New("motivity: badge not found")                       // "Badge not found"
	ErrBadgeInactive = errors.New("motivity: an inactive badge cannot be assigned")  // "An inactive badge cannot be assigned"
	ErrBadgeSystem   = errors.New("motivity: a system badge cannot be assigned")     // "A system badge cannot be assigned"
	ErrBadgeParent   = errors.New("motivity: select the badge grade for assignment") // "Select the badge grade for the assignment"
	// ErrHigherGrade: "User already has a higher grade badge, remove it
	// first", per user of an assignment.
	ErrHigherGrade = errors.New("motivity: user already has a higher grade badge")

	// Points, per item.
	ErrNotInteger         = errors.New(`motivity: "amount" must be an integer`)     // `The "amount" field must contain an integer value`
	ErrInsufficientPoints = errors.New("motivity: deducting more than the balance") // "Attempting to deduct more than the available points"
	ErrBalanceNotFound    = errors.New("motivity: balance not found")               // "Balance not found"
	ErrMessageTooLong     = errors.New(`motivity: "message" over 80 characters`)    // `The length of the "message" field cannot exceed 80 characters`

	// Goals («План развития»).
	ErrInvalidUserID    = errors.New("motivity: invalid user id")           // "Invalid user id"
	ErrIncorrectType    = errors.New("motivity: incorrect value of type")   // "Incorrect value of type"
	ErrInvalidDate      = errors.New("motivity: invalid date")              // "Invalid date. You can only specify the current and future date"
	ErrInvalidPriority  = errors.New("motivity: invalid priority")          // "Invalid value. Allowed values: high, medium, low"
	ErrInvalidValueUnit = errors.New("motivity: invalid value unit")        // "Invalid value. Allowed values: percents, numbers, …"
	ErrValueNotPositive = errors.New("motivity: value not positive")        // "Invalid value. Value should be greater than 0"
	ErrValueTooLong     = errors.New("motivity: value too long")            // "Value is too long. Allowed length 10 characters"
	ErrGoalLimit        = errors.New("motivity: goal limit reached")        // "Goal limit reached"
	ErrAlreadyApproved  = errors.New("motivity: goal is already approved")  // "Goal is already approved"
	ErrAlreadyCompleted = errors.New("motivity: goal is already completed") // "Goal is already completed"
	// ErrNoRights: "Author has no rights to create|edit|complete|delete
	// goals".
	ErrNoRights = errors.New("motivity: author has no rights")
	// ErrGoalUnavailable: "Goal is not found or cannot be
	// edited|approved|completed|deleted".
	ErrGoalUnavailable = errors.New("motivity: goal is not found or cannot be changed")

	// Files.
	ErrFileRequired     = errors.New("motivity: file required")           // "File not transmitted. File required"
	ErrOneFile          = errors.New("motivity: only one file allowed")   // "Only one file allowed"
	ErrFormatNotAllowed = errors.New("motivity: file format not allowed") // "File format not allowed"
	ErrSizeNotAllowed   = errors.New("motivity: file size not allowed")   // "File size not allowed"
	// ErrFileNotFound: "File not found": an unknown or deleted file (a
	// link, a download link expired, a review's files[i]).
	ErrFileNotFound = errors.New("motivity: file not found")

	// Quests.
	ErrQuestNotFound       = errors.New("motivity: quest not found")               // "Quest not found"
	ErrTaskNotFound        = errors.New("motivity: task not found")                // "Task not found"
	ErrTaskNotInQuest      = errors.New("motivity: task is not part of the quest") // "Task is not part of the quest"
	ErrNotQuestStudent     = errors.New("motivity: user is not a quest student")   // "User is not a quest student"
	ErrIncorrectStatus     = errors.New("motivity: incorrect value of status")     // "Incorrect value of status"
	ErrIncorrectPageSize   = errors.New("motivity: incorrect value of pageSize")   // "Incorrect value of pageSize"
	ErrInvalidReviewStatus = errors.New("motivity: invalid review status")         // "Invalid value. Allowed values: redo, complete, fail"
	ErrNotChecking         = errors.New("motivity: task must be in checking")      // "Task must be in checking. Task has status <status>"
	ErrNotStudentMentor    = errors.New("motivity: user is not a student mentor")  // "User is not a student mentor"
	ErrFieldsRequired      = errors.New("motivity: fields are required")           // "Fields are required"
	ErrTextTooLong         = errors.New("motivity: review text too long")          // "Text is too long. Allowed length 6000 characters"

	// Reports.
	ErrReportNotFound = errors.New("motivity: report not found") // 404 "Report not found": unknown type, unknown or expired id
	// ErrReportFailed: 500 "Report could not be built": a created report
	// whose build failed; it stays so until it expires.
	ErrReportFailed = errors.New("motivity: report could not be built")
	// ErrReportProcessing: a created report not built yet (202
	// {"result": true, "status": "processing"}); ReportData returns it,
	// WaitReport waits it out. Not an *APIError.
	ErrReportProcessing = errors.New("motivity: report is being built")
)

// texts maps each documented text to its sentinel: exact texts, then
// prefixes of the texts that carry a value.
var (
	exactTexts = map[string]error{
		"Required parameters are not filled in":                                            ErrRequired,
		"User not found":                                                                   ErrUserNotFound,
		"Could not decode request body":                                                    ErrUndecodable,
		"Badge not found":                                                                  ErrBadgeNotFound,
		"An inactive badge cannot be assigned":                                             ErrBadgeInactive,
		"A system badge cannot be assigned":                                                ErrBadgeSystem,
		"Select the badge grade for the assignment":                                        ErrBadgeParent,
		"User already has a higher grade badge, remove it first":                           ErrHigherGrade,
		`The "amount" field must contain an integer value`:                                 ErrNotInteger,
		"Attempting to deduct more than the available points":                              ErrInsufficientPoints,
		"Balance not found":                                                                ErrBalanceNotFound,
		`The length of the "message" field cannot exceed 80 characters`:                    ErrMessageTooLong,
		"Invalid user id":                                                                  ErrInvalidUserID,
		"Incorrect value of type":                                                          ErrIncorrectType,
		"Invalid date. You can only specify the current and future date":                   ErrInvalidDate,
		"Invalid value. Allowed values: high, medium, low":                                 ErrInvalidPriority,
		"Invalid value. Allowed values: percents, numbers, roubles, dollars, euros, hours": ErrInvalidValueUnit,
		"Invalid value. Value should be greater than 0":                                    ErrValueNotPositive,
		"Value is too long. Allowed length 10 characters":                                  ErrValueTooLong,
		"Goal limit reached":                                                               ErrGoalLimit,
		"Goal is already approved":                                                         ErrAlreadyApproved,
		"Goal is already completed":                                                        ErrAlreadyCompleted,
		"File not transmitted. File required":                                              ErrFileRequired,
		"Only one file allowed":                                                            ErrOneFile,
		"File format not allowed":                                                          ErrFormatNotAllowed,
		"File size not allowed":                                                            ErrSizeNotAllowed,
		"File not found":                                                                   ErrFileNotFound,
		"Quest not found":                                                                  ErrQuestNotFound,
		"Task not found":                                                                   ErrTaskNotFound,
		"Task is not part of the quest":                                                    ErrTaskNotInQuest,
		"User is not a quest student":                                                      ErrNotQuestStudent,
		"Incorrect value of status":                                                        ErrIncorrectStatus,
		"Incorrect value of pageSize":                                                      ErrIncorrectPageSize,
		"Invalid value. Allowed values: redo, complete, fail":                              ErrInvalidReviewStatus,
		"User is not a student mentor":                                                     ErrNotStudentMentor,
		"Fields are required":                                                              ErrFieldsRequired,
		"Text is too long. Allowed length 6000 characters":                                 ErrTextTooLong,
		"Report not found":                                                                 ErrReportNotFound,
		"Report could not be built":                                                        ErrReportFailed,
	}
	prefixTexts = []struct {
		prefix string
		err    error
	}{
		{"Invalid request format. Unexpected properties: ", ErrUnexpectedProperties},
		{"Author has no rights to ", ErrNoRights},
		{"Goal is not found or cannot be ", ErrGoalUnavailable},
		{"Task must be in checking. Task has status ", ErrNotChecking},
	}
)

// textIs reports whether the server's text stands for target.
func textIs(text string, target error) bool {
	if e, ok := exactTexts[text]; ok {
		return e == target
	}
	for _, p := range prefixTexts {
		if strings.HasPrefix(text, p.prefix) {
			return p.err == target
		}
	}
	return false
}

// Problem is the API's {message, cause}: one error of a request, or of one
// item of a batch. It is an error itself, matching the sentinel of its
// text with errors.Is.
type Problem struct {
	Message string `json:"message"`
	// Cause is what the server blames: a field ("amount", "keyResults.0.title",
	// "files[1]"), a path value (the badge id as sent), or a hint
	// ("Allowed values 1-100").
	Cause string `json:"cause"`
}

func (p Problem) Error() string { return "motivity: " + p.Message + " (" + p.Cause + ")" }

// Is matches the sentinel of the problem's text.
func (p Problem) Is(target error) bool { return textIs(p.Message, target) }

// APIError is an error answer of the API: {"result": false, "message"},
// {"errors": [...]} (badges) or {"result": false, "errors": [...]} (goals,
// quests), or a bare HTTP error from something in front of it.
type APIError struct {
	// HTTPStatus is the answer's status.
	HTTPStatus int
	// Message is the answer's message; for an answer that is no envelope,
	// the start of its body.
	Message string
	// Problems are the answer's errors, in the server's order.
	Problems []Problem
	// RetryAfter is the Retry-After of a 429 or a 503, zero when absent.
	RetryAfter time.Duration
	// Op is the client's method ("AssignBadge", …).
	Op string
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "motivity: %s: HTTP %d", e.Op, e.HTTPStatus)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for i, p := range e.Problems {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(p.Message)
		if p.Cause != "" {
			b.WriteString(" (" + p.Cause + ")")
		}
	}
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, " (retry after %s)", e.RetryAfter)
	}
	return b.String()
}

// Is maps the answer to the sentinels above.
func (e *APIError) Is(target error) bool {
	s := e.HTTPStatus
	switch target {
	case ErrUnauthorized:
		return s == http.StatusUnauthorized
	case ErrRateLimited:
		return s == http.StatusTooManyRequests
	case ErrTooLarge:
		return s == http.StatusRequestEntityTooLarge
	case ErrNotFound:
		return s == http.StatusNotFound && !textIs(e.Message, ErrReportNotFound) && !textIs(e.Message, ErrFileNotFound)
	case ErrUnavailable:
		return s >= 500 && s <= 599 && !textIs(e.Message, ErrReportFailed)
	}
	if textIs(e.Message, target) {
		return true
	}
	for _, p := range e.Problems {
		if p.Is(target) {
			return true
		}
	}
	return false
}

// Has reports whether one of the answer's problems matches target and has
// the given cause: errors.Is says "a user was not found", Has which
// (ErrUserNotFound with "StudentId" or "MentorId").
func (e *APIError) Has(target error, cause string) bool {
	for _, p := range e.Problems {
		if p.Is(target) && p.Cause == cause {
			return true
		}
	}
	return false
}

// errorBody is every error envelope of the API at once; which fields came
// tells which one it was.
type errorBody struct {
	Result  *bool      `json:"result"`
	Message *string    `json:"message"`
	Errors  *[]Problem `json:"errors"`
}

func (c *Client) apiError(op string, resp *http.Response, body []byte) error {
	e := &APIError{HTTPStatus: resp.StatusCode, Op: op, RetryAfter: retryAfter(resp.Header, c.now())}
	var env errorBody
	if err := json.Unmarshal(body, &env); err == nil && (env.Message != nil || env.Errors != nil) {
		if env.Message != nil {
			e.Message = *env.Message
		}
		if env.Errors != nil {
			e.Problems = *env.Errors
		}
		return e
	}
	// Something in front of the API answered (a proxy, a router's plain
	// page): keep a little of it for the message.
	e.Message = snippet(body)
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}

func malformed(op, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrMalformed, op, fmt.Sprintf(format, args...))
}

func snippet(body []byte) string {
	const limit = 200
	s := strings.TrimSpace(string(body))
	if len(s) > limit {
		s = s[:limit]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	return s
}

// retryAfter reads Retry-After in either form HTTP allows: seconds or a
// date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Duration(min(max(n, 0), int64(365*24*time.Hour/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
