package http

import (
	"net/http"

	"stend/httpx"
)

// The document's envelopes: {"result": false, "message": …} for the token
// and for a batch that cannot be processed; {"errors": [{message, cause}]}
// for a badge that cannot be used; per item {message, cause} inside a
// successful points answer.

const contentType = "application/json; charset=utf-8"

type messageBody struct {
	Result  bool   `json:"result"`
	Message string `json:"message"`
}

func writeMessage(w http.ResponseWriter, status int, msg string) {
	httpx.WriteJSON(w, status, contentType, messageBody{Result: false, Message: msg})
}

func writeInternal(w http.ResponseWriter, _ *http.Request) {
	writeMessage(w, http.StatusInternalServerError, msgInternal)
}

// problem is one {message, cause} of the document.
type problem struct {
	Message string `json:"message"`
	Cause   string `json:"cause"`
}

type errorsBody struct {
	Errors []problem `json:"errors"`
}

func writeOK(w http.ResponseWriter, v any) {
	httpx.WriteJSON(w, http.StatusOK, contentType, v)
}

// WriteFault answers an injected fault (package fault) in the document's
// {"result": false, "message"} (for 401, the token's text unless another is
// given).
func WriteFault(w http.ResponseWriter, status int, message string) {
	switch {
	case message != "":
	case status == http.StatusUnauthorized:
		message = msgInvalidToken
	default:
		message = http.StatusText(status)
	}
	writeMessage(w, status, message)
}

// resultErrorsBody is {"result": false, "errors": [...]}: how goals and
// quests refuse a request as a whole.
type resultErrorsBody struct {
	Result bool      `json:"result"`
	Errors []problem `json:"errors"`
}

func writeResultErrors(w http.ResponseWriter, ps []problem) {
	httpx.WriteJSON(w, http.StatusBadRequest, contentType, resultErrorsBody{Errors: ps})
}
