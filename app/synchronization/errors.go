package synchronization

import (
	"errors"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/ticketing"
)

// Error is a business error of the synchronization, identified by a stable code that runs and
// systems record (decision T3, docs/decisions.md) and that ErrorKey translates.
type Error struct{ Code string }

func (e *Error) Error() string { return "synchronization: " + e.Code }

// Is makes a system (or run) not found a derrors.ErrNotFound, which the web
// layer answers 404 wherever it comes from.
func (e *Error) Is(target error) bool {
	return e == ErrSystemNotFound && target == derrors.ErrNotFound
}

// Business errors.
var (
	ErrSystemNotFound          = &Error{Code: "ticketingSystemNotFound"}
	ErrSynchronizationOngoing  = &Error{Code: "anotherTicketingSystemSynchronizationOngoing"}
	ErrNoValidTicketingSystem  = &Error{Code: "noValidTicketingSystem"}
	errCredentialsUnreadable   = &Error{Code: "credentialsUnreadable"}
	errInterruptedSynchronizer = &Error{Code: "interrupted"}
)

// internalErrorCode is recorded for failures that are not the remote system's (database…).
const internalErrorCode = "internal"

// ErrorCode is the stable code recorded for a failure (decision T3, docs/decisions.md): the connector's code, the
// synchronization's own, or internalErrorCode.
func ErrorCode(err error) string {
	var re *ticketing.RemoteError
	var be *Error
	switch {
	case errors.As(err, &re):
		return string(re.Code)
	case errors.As(err, &be):
		return be.Code
	}
	return internalErrorCode
}

// ErrorArgument is the value the message of a failure names (the refused currency…), "" when
// there is none; it is recorded next to the code.
func ErrorArgument(err error) string {
	var re *ticketing.RemoteError
	if errors.As(err, &re) {
		return truncate(re.Argument, 100)
	}
	return ""
}

func isBusiness(err error) bool {
	var be *Error
	return errors.As(err, &be)
}

// errorMessagePrefix is the locales' section of the failures' messages.
const errorMessagePrefix = "synchronization.errors."

// ErrorKey is the message key of a recorded error code; unknown codes get a generic text.
func ErrorKey(code string) string {
	if translatedErrorCodes[code] {
		return errorMessagePrefix + code
	}
	return errorMessagePrefix + "unknown"
}

// SystemErrorKey is ErrorKey for a failure of system: only a system whose domain the user typed
// (SoTicket, Supersoniks) is told to check it when it cannot be reached.
func SystemErrorKey(system ticketing.System, code string) string {
	if code == string(ticketing.CodeNetwork) && (system == ticketing.SoTicket || system == ticketing.Supersoniks) {
		return errorMessagePrefix + "networkDomain"
	}
	return ErrorKey(code)
}

// connectorErrorKey is the message key of a connector's failure.
func connectorErrorKey(code ticketing.ErrorCode) string { return ErrorKey(string(code)) }

// translatedErrorCodes are the codes with a message (locales: synchronization.errors).
var translatedErrorCodes = map[string]bool{
	string(ticketing.CodeTimeout): true, string(ticketing.CodeCanceled): true, string(ticketing.CodeNetwork): true,
	string(ticketing.CodeServerError): true, string(ticketing.CodeRateLimited): true, string(ticketing.CodeUnauthorized): true,
	string(ticketing.CodeFirewall): true, string(ticketing.CodeRestrictedKey): true, string(ticketing.CodeHTTPError): true,
	string(ticketing.CodeMalformedResponse): true, string(ticketing.CodeInconsistentData): true, string(ticketing.CodeMissingTier): true,
	string(ticketing.CodeForeignTaxRate): true, string(ticketing.CodeForeignCurrency): true, string(ticketing.CodeTooMuchData): true, string(ticketing.CodeNotSingleOrganization): true,
	string(ticketing.CodeInvalidCredentials): true, string(ticketing.CodeInvalidDomainName): true,
	ErrSynchronizationOngoing.Code: true, ErrNoValidTicketingSystem.Code: true, errCredentialsUnreadable.Code: true,
	errInterruptedSynchronizer.Code: true, internalErrorCode: true,
}
