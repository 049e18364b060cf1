package http

import (
	"net/http"

	"stend/httpx"
)

// The document has two 400 shapes: ASP.NET Core's validation problem for a
// model that does not bind (missing or mistyped fields), and {"error": …}
// for values that break a rule. Texts are Russian, as the document's.

const (
	msgRequired     = "Поле обязательно для заполнения"
	msgNotInteger   = "Значение должно быть целым числом"
	msgNotBoolean   = "Значение должно быть логическим: true или false"
	msgNotDate      = "Значение должно быть датой в формате ГГГГ-ММ-ДД"
	msgNotString    = "Значение должно быть строкой"
	msgNotArray     = "Значение должно быть массивом заявок"
	msgNotObject    = "Значение должно быть объектом заявки"
	msgEmptyBody    = "Тело запроса не передано"
	msgNotAnObject  = "Тело запроса должно быть JSON-объектом отчета"
	msgTrailingData = "После JSON-объекта отчета не должно быть других данных"
	msgNulCharacter = "Строка не должна содержать символ U+0000"
	msgNotText      = "Строки должны быть текстом в UTF-8 без символа U+0000"
)

// validationProblem is ASP.NET Core's ValidationProblemDetails, the shape the
// document's first error sample comes from.
type validationProblem struct {
	Type   string              `json:"type"`
	Title  string              `json:"title"`
	Status int                 `json:"status"`
	Errors map[string][]string `json:"errors"`
}

// problem is ASP.NET Core's ProblemDetails, for the statuses the document
// does not show (401, 404, 405, 413, 415, 500, 503).
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
}

const problemJSON = "application/problem+json; charset=utf-8"

func writeValidationProblem(w http.ResponseWriter, errs map[string][]string) {
	httpx.WriteJSON(w, http.StatusBadRequest, problemJSON, validationProblem{
		Type:   "https://tools.ietf.org/html/rfc9110#section-15.5.1",
		Title:  "One or more validation errors occurred.",
		Status: http.StatusBadRequest,
		Errors: errs,
	})
}

type ruleError struct {
	Error string `json:"error"`
}

func writeRuleError(w http.ResponseWriter, msg string) {
	httpx.WriteJSON(w, http.StatusBadRequest, "application/json; charset=utf-8", ruleError{Error: msg})
}

var problemTypes = map[int]string{
	http.StatusUnauthorized:          "https://tools.ietf.org/html/rfc9110#section-15.5.2",
	http.StatusNotFound:              "https://tools.ietf.org/html/rfc9110#section-15.5.5",
	http.StatusMethodNotAllowed:      "https://tools.ietf.org/html/rfc9110#section-15.5.6",
	http.StatusRequestEntityTooLarge: "https://tools.ietf.org/html/rfc9110#section-15.5.14",
	http.StatusUnsupportedMediaType:  "https://tools.ietf.org/html/rfc9110#section-15.5.16",
	http.StatusTooManyRequests:       "https://tools.ietf.org/html/rfc6585#section-4",
	http.StatusInternalServerError:   "https://tools.ietf.org/html/rfc9110#section-15.6.1",
	http.StatusServiceUnavailable:    "https://tools.ietf.org/html/rfc9110#section-15.6.4",
}

func writeProblem(w http.ResponseWriter, status int, detail string) {
	httpx.WriteJSON(w, status, problemJSON, problem{
		Type:   problemTypes[status],
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
	})
}

func writeUnauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Basic realm="migrant-exam", charset="UTF-8"`)
	writeProblem(w, http.StatusUnauthorized, "Требуется авторизация: Basic (Username и Password организации) и заголовок x-api-key")
}

func writeInternal(w http.ResponseWriter, _ *http.Request) {
	writeProblem(w, http.StatusInternalServerError, "Внутренняя ошибка сервера")
}

// WriteFault answers an injected fault (package fault) as the API answers
// that status: a broken rule's {"error"} for 400, the problem shape else
// (with the Basic challenge for 401).
func WriteFault(w http.ResponseWriter, status int, message string) {
	if message == "" {
		message = http.StatusText(status)
	}
	switch status {
	case http.StatusBadRequest:
		writeRuleError(w, message)
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Basic realm="migrant-exam", charset="UTF-8"`)
		writeProblem(w, status, message)
	default:
		writeProblem(w, status, message)
	}
}
