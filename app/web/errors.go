package web

import (
	"errors"
	"fmt"
	"log/slog"

	"github.com/gofiber/fiber/v2"
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
			logger.Error("request failed", "request_id", RequestID(c), "method", c.Method(), "path", c.Path(), "error", err)
		}
		c.Status(appErr.Status)
		data := View(c)
		data["Title"] = Localizer(c).T(titleKey(appErr.Status))
		data["ErrorStatus"] = appErr.Status
		data["ErrorMessage"] = Localizer(c).T(appErr.Key, appErr.Args...)
		if IsFragmentRequest(c) {
			return c.Render("partials/errors/alert", data, "")
		}
		if rerr := RenderPage(c, "pages/errors/error", data); rerr != nil {
			logger.Error("error page failed", "request_id", RequestID(c), "error", rerr)
			return c.SendString(fmt.Sprintf("Erreur %d (%s)", appErr.Status, RequestID(c)))
		}
		return nil
	}
}

func titleKey(status int) string {
	switch status {
	case fiber.StatusNotFound:
		return "errors.notFoundTitle"
	case fiber.StatusForbidden:
		return "errors.forbiddenTitle"
	case fiber.StatusTooManyRequests:
		return "errors.tooManyRequestsTitle"
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
	return &Error{Status: fiber.StatusInternalServerError, Key: "errors.server", Err: err}
}
