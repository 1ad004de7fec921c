package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
)

// FormErrors is derrors.Fields, for the handlers not yet converted.
//
// Deprecated: use derrors.Fields.
type FormErrors = derrors.Fields

// FormValue returns a trimmed form field.
func FormValue(c *fiber.Ctx, name string) string {
	return strings.TrimSpace(c.FormValue(name))
}
