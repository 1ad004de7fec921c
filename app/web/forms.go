package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// FormValue returns a trimmed form field.
func FormValue(c *fiber.Ctx, name string) string {
	return strings.TrimSpace(c.FormValue(name))
}
