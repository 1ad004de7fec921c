package web

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
)

// Error is a failure the user is told about: an HTTP status and the message
// key of a translated explanation. Err, when set, is logged, never shown.
type Error struct {
	Status int
	Key    string
	Args   []any
	Err    error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%d %s: %v", e.Status, e.Key, e.Err)
	}
	return fmt.Sprintf("%d %s", e.Status, e.Key)
}

func (e *Error) Unwrap() error { return e.Err }

// NewError builds a business error shown with a translated message.
func NewError(status int, key string, args ...any) *Error {
	return &Error{Status: status, Key: key, Args: args}
}

// ErrNotFound is answered for unknown pages and for records the user may not
// see: 404 rather than 403 so existence never leaks.
var ErrNotFound = NewError(fiber.StatusNotFound, "errors.notFound")

// ErrorHandler is Fiber's central error handler: business errors render a
// translated DSFR page (or fragment for htmx), unexpected ones are logged with
// the request id and shown as a 500 page carrying that id.
func ErrorHandler(logger *slog.Logger) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		appErr := asError(err)
		if appErr.Status >= 500 {
			// The whole chain: each package on the way wrapped what it was
			// doing and for which id (derrors.Wrap).
			logger.Error("request failed", "request_id", RequestID(c), "method", c.Method(), "path", redactSecrets(c, c.Path()),
				"route", c.Route().Path, "error", redactSecrets(c, err.Error()))
		}
		c.Status(appErr.Status)
		if appErr.Status == fiber.StatusServiceUnavailable {
			c.Set(fiber.HeaderRetryAfter, retryAfterSeconds)
		}
		view := &errorView{
			Layout:       NewLayout(c, Localizer(c).T(titleKey(appErr.Status))),
			ErrorStatus:  appErr.Status,
			ErrorMessage: Localizer(c).T(appErr.Key, appErr.Args...),
		}
		if IsFragmentRequest(c) {
			return RenderPartial(c, "partials/errors/alert", view)
		}
		if rerr := RenderPage(c, "pages/errors/error", view); rerr != nil {
			logger.Error("error page failed", "request_id", RequestID(c), "error", rerr)
			return c.SendString(fmt.Sprintf("Erreur %d (%s)", appErr.Status, RequestID(c)))
		}
		return nil
	}
}

// errorView is the error page and the error fragment.
type errorView struct {
	Layout
	ErrorStatus  int
	ErrorMessage string
}

func titleKey(status int) string {
	switch status {
	case fiber.StatusNotFound:
		return "errors.notFoundTitle"
	case fiber.StatusForbidden:
		return "errors.forbiddenTitle"
	case fiber.StatusTooManyRequests:
		return "errors.tooManyRequestsTitle"
	case fiber.StatusServiceUnavailable:
		return "errors.unavailableTitle"
	}
	if status >= 500 {
		return "errors.serverTitle"
	}
	return "errors.badRequestTitle"
}

// asError maps any error to what the user sees.
func asError(err error) *Error {
	var appErr *Error
	if errors.As(err, &appErr) {
		return appErr
	}
	var msg *derrors.Message
	if errors.As(err, &msg) {
		return &Error{Status: kindStatus(msg.Kind), Key: msg.Key, Args: msg.Args, Err: err}
	}
	if f, ok := derrors.AsFields(err); ok {
		// A handler should have re-rendered its form; say so rather than 500.
		return &Error{Status: fiber.StatusUnprocessableEntity, Key: "errors.badRequest", Err: f}
	}
	for _, kind := range []error{derrors.ErrNotFound, derrors.ErrForbidden, derrors.ErrConflict, derrors.ErrInvalid, derrors.ErrUnavailable, derrors.ErrTooMany} {
		if errors.Is(err, kind) {
			return &Error{Status: kindStatus(kind), Key: kindKey(kind), Err: err}
		}
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		switch fe.Code {
		case fiber.StatusNotFound, fiber.StatusMethodNotAllowed:
			return &Error{Status: fiber.StatusNotFound, Key: "errors.notFound", Err: err}
		case fiber.StatusRequestEntityTooLarge:
			return &Error{Status: fe.Code, Key: "errors.tooLarge", Err: err}
		case fiber.StatusTooManyRequests:
			return &Error{Status: fe.Code, Key: "errors.tooManyRequests", Err: err}
		case fiber.StatusRequestTimeout, fiber.StatusServiceUnavailable:
			return &Error{Status: fiber.StatusServiceUnavailable, Key: "errors.unavailable", Err: err}
		}
		if fe.Code >= 400 && fe.Code < 500 {
			return &Error{Status: fiber.StatusBadRequest, Key: "errors.badRequest", Err: err}
		}
	}
	if unreachable(err) {
		return unavailableError(err)
	}
	return &Error{Status: fiber.StatusInternalServerError, Key: "errors.server", Err: err}
}

// kindStatus is the HTTP status of a derrors kind.
func kindStatus(kind error) int {
	switch kind {
	case derrors.ErrNotFound:
		return fiber.StatusNotFound
	case derrors.ErrForbidden:
		return fiber.StatusForbidden
	case derrors.ErrConflict:
		return fiber.StatusConflict
	case derrors.ErrInvalid:
		return fiber.StatusUnprocessableEntity
	case derrors.ErrUnavailable:
		return fiber.StatusServiceUnavailable
	case derrors.ErrTooMany:
		return fiber.StatusTooManyRequests
	}
	return fiber.StatusInternalServerError
}

// kindKey is the generic message of a derrors kind without a message of its own.
func kindKey(kind error) string {
	switch kind {
	case derrors.ErrNotFound:
		return "errors.notFound"
	case derrors.ErrUnavailable:
		return "errors.unavailable"
	case derrors.ErrTooMany:
		return "errors.tooManyRequests"
	case derrors.ErrForbidden:
		return "errors.forbidden"
	case derrors.ErrConflict:
		return "errors.conflict"
	}
	return "errors.badRequest"
}
