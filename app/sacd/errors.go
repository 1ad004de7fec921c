package sacd

import (
	"fmt"
	"strings"

	"assistant-declaration/app/derrors"
)

// ErrorCode is a stable identifier of a failed declaration, recorded on the
// declaration by the caller.
type ErrorCode string

// Error codes. The first three are SACD's answers; the others say SACD could
// not be reached or understood, and are retryable.
const (
	// CodeUnsuccessful: SACD answered KO for at least one representation.
	CodeUnsuccessful ErrorCode = "sacdDeclarationUnsuccessful"
	// CodeIncorrectDeclarant: SACD answered ERR_WS_DEC_REF, a wrong declarant
	// id or teletransmission not enabled on SACD's side.
	CodeIncorrectDeclarant ErrorCode = "sacdDeclarationIncorrectDeclarant"
	// CodeRefused: SACD answered another error; Error.RemoteCode is its code.
	CodeRefused ErrorCode = "sacdDeclarationRefused"

	CodeTimeout           ErrorCode = "timeout"
	CodeCanceled          ErrorCode = "canceled"
	CodeNetwork           ErrorCode = "network"
	CodeHTTPError         ErrorCode = "http_error"
	CodeMalformedResponse ErrorCode = "malformed_response"
)

// Steps of a transmission: every transmission logs in first.
const (
	StepLogin   = "login"
	StepDeclare = "declare"
)

// Representation is SACD's remark on one representation it answered KO
// (a rejection) or WARNING: the faulty field and its message.
type Representation struct {
	// Reference is rep_ref_dec, "{serie id}_{performance id}", when SACD gives it.
	Reference string
	Number    string
	Field     string
	Message   string
}

// Error is every failure of a transmission to SACD. It never holds a secret:
// bodies are excerpted and redacted.
type Error struct {
	Code ErrorCode
	// Step is StepLogin or StepDeclare. A failure at StepDeclare without an
	// answer (timeout, network) is ambiguous: SACD may have recorded it.
	Step string
	// Status is the HTTP status, 0 when no response was received.
	Status int
	// Excerpt is at most 300 characters of the answer, secrets removed.
	Excerpt string
	// RemoteCode and RemoteMessage are SACD's JSON error, when it sent one.
	RemoteCode    string
	RemoteMessage string
	// Rejections are the representations SACD answered KO (CodeUnsuccessful).
	Rejections []Representation
	// Retryable: SACD could not be reached or understood; trying again later
	// may succeed. SACD's own refusals are not retryable as they are.
	Retryable bool
	Err       error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "sacd %s: %s", e.Step, e.Code)
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	if e.RemoteCode != "" {
		fmt.Fprintf(&b, ": %s %q", e.RemoteCode, e.RemoteMessage)
	}
	for _, r := range e.Rejections {
		fmt.Fprintf(&b, "; %s KO on %s: %q", r.Reference, r.Field, r.Message)
	}
	if e.Excerpt != "" && len(e.Rejections) == 0 && e.RemoteCode == "" {
		fmt.Fprintf(&b, ": %q", e.Excerpt)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

// Unwrap exposes the translated business message the user sees (a
// *derrors.Message of its kind) and the cause.
func (e *Error) Unwrap() []error {
	out := []error{e.message()}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// Codes are every ErrorCode an Error carries.
func Codes() []ErrorCode {
	return []ErrorCode{CodeUnsuccessful, CodeIncorrectDeclarant, CodeRefused,
		CodeTimeout, CodeCanceled, CodeNetwork, CodeHTTPError, CodeMalformedResponse}
}

// MessageKey is the message key of an error code: SACD's answers have their
// own, the retryable failures read "SACD unavailable".
func MessageKey(code ErrorCode) string {
	switch code {
	case CodeUnsuccessful, CodeIncorrectDeclarant, CodeRefused:
		return "sacd." + string(code)
	}
	return "sacd.sacdUnavailable"
}

func (e *Error) message() *derrors.Message {
	switch e.Code {
	case CodeUnsuccessful:
		return derrors.New(derrors.ErrConflict, MessageKey(e.Code))
	case CodeIncorrectDeclarant:
		return derrors.New(derrors.ErrInvalid, MessageKey(e.Code))
	case CodeRefused:
		return derrors.New(derrors.ErrConflict, MessageKey(e.Code), "code", e.RemoteCode)
	default:
		return derrors.New(derrors.ErrUnavailable, MessageKey(e.Code))
	}
}
