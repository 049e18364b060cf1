package http

// Texts of the document, byte for byte (English, as the document has them,
// typography included).
const (
	msgInvalidToken    = "Invalid public API token"
	msgRequired        = "Required parameters are not filled in"
	msgUserNotFound    = "User not found"
	msgBadgeNotFound   = "Badge not found"
	msgBadgeInactive   = "An inactive badge cannot be assigned"
	msgBadgeSystem     = "A system badge cannot be assigned"
	msgBadgeParent     = "Select the badge grade for the assignment"
	msgHigherGrade     = "User already has a higher grade badge, remove it first"
	msgNotInteger      = `The "amount" field must contain an integer value`
	msgInsufficient    = "Attempting to deduct more than the available points"
	msgBalanceNotFound = "Balance not found"
	msgMessageTooLong  = `The length of the "message" field cannot exceed 80 characters`

	// The sample answers a missing userId with this cause rather than the
	// field's name.
	causeUserIDRequired = "User ID is required"
)

// Answers the document does not describe, in its style.
const (
	msgNotFound         = "Not found"
	msgMethodNotAllowed = "Method not allowed"
	msgTooLarge         = "Request body is too large"
	msgUnavailable      = "Service temporarily unavailable, try again later"
	msgTooManyAttempts  = "Too many attempts with an invalid token, try again later"
	msgInternal         = "Internal server error"
)

// defaultPointsMessages is the wording a change of points gets when the
// request has no message ("используется формулировка по умолчанию на
// языке, переданном в заголовке или установленном для платформы"). The
// document does not give it; these say what happened, in each language the
// platform starts with.
var defaultPointsMessages = map[string]string{
	"ru": "Изменение баланса баллов",
	"en": "Points balance change",
	"uz": "Ballar balansining o'zgarishi",
	"ky": "Упайлар балансынын өзгөрүшү",
}

// maxMessageLength is the document's limit on a points message, in
// characters.
const maxMessageLength = 80

// «План развития»: texts of the document and of the decisions.
const (
	msgInvalidDate       = "Invalid date. You can only specify the current and future date"
	msgInvalidPriority   = "Invalid value. Allowed values: high, medium, low"
	msgInvalidValueUnit  = "Invalid value. Allowed values: percents, numbers, roubles, dollars, euros, hours"
	msgValueNotPositive  = "Invalid value. Value should be greater than 0"
	msgValueTooLong      = "Value is too long. Allowed length 10 characters"
	msgGoalLimit         = "Goal limit reached"
	msgUnexpectedProps   = "Invalid request format. Unexpected properties: "
	msgInvalidUserID     = "Invalid user id"
	msgIncorrectType     = "Incorrect value of type"
	msgAlreadyApproved   = "Goal is already approved"
	msgAlreadyCompleted  = "Goal is already completed"
	msgGoalDeleted       = "Goal has been deleted"
	msgNoRightsCreate    = "Author has no rights to create goals"
	msgNoRightsEdit      = "Author has no rights to edit goals"
	msgNoRightsComplete  = "Author has no rights to complete goals"
	msgNoRightsDelete    = "Author has no rights to delete goals"
	msgCannotBeEdited    = "Goal is not found or cannot be edited"
	msgCannotBeApproved  = "Goal is not found or cannot be approved"
	msgCannotBeCompleted = "Goal is not found or cannot be completed"
	msgCannotBeDeleted   = "Goal is not found or cannot be deleted"
)
