package stend

import (
	"errors"
	"fmt"
)

// Kind is the closed set of failure classes. Each published API maps kinds to
// its own documented status and body; nothing below the API edge knows about
// HTTP.
type Kind uint8

const (
	Internal         Kind = iota // a bug or an unexpected failure of a dependency
	Invalid                      // the input breaks a rule
	Unauthenticated              // credentials missing or wrong
	PermissionDenied             // valid credentials, no access
	NotFound                     // no such object (or not visible to the caller)
	Conflict                     // the object exists already or changed under us
	TooLarge                     // the input exceeds a size limit
	RateLimited                  // a quota is exhausted
	Unavailable                  // a dependency is down; retrying may help
)

var kindNames = [...]string{
	Internal:         "internal",
	Invalid:          "invalid",
	Unauthenticated:  "unauthenticated",
	PermissionDenied: "permission denied",
	NotFound:         "not found",
	Conflict:         "conflict",
	TooLarge:         "too large",
	RateLimited:      "rate limited",
	Unavailable:      "unavailable",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Error carries a Kind through wrapping. Op says where it happened
// ("sqlstore.SubmitReport"); Message is safe to show to an operator.
type Error struct {
	Kind    Kind
	Op      string
	Message string
	Err     error
}

func (e *Error) Error() string {
	msg := e.Op + ": " + e.Kind.String()
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error whose message is formatted like fmt.Sprintf.
func Errorf(kind Kind, op, format string, args ...any) error {
	return &Error{Kind: kind, Op: op, Message: fmt.Sprintf(format, args...)}
}

// kinded lets specific error types (such as DuplicateReportError) declare
// their kind without being an *Error.
type kinded interface{ ErrorKind() Kind }

func (e *Error) ErrorKind() Kind { return e.Kind }

// KindOf reports the kind of the outermost classified error in err's chain;
// an unclassified error is Internal.
func KindOf(err error) Kind {
	var k kinded
	if errors.As(err, &k) {
		return k.ErrorKind()
	}
	return Internal
}

// IsKind reports whether err is of kind k.
func IsKind(err error, k Kind) bool { return err != nil && KindOf(err) == k }
