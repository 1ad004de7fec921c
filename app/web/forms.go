package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
)

// FormValue returns a trimmed form field.
func FormValue(c *fiber.Ctx, name string) string {
	return strings.TrimSpace(BodyValue(c, name))
}

// BodyValue returns a form field exactly as sent (passwords keep their
// spaces), read from the request body only. Fiber's c.FormValue looks at the
// query string first: a link could then override a field the user typed, or
// carry the CSRF token in a URL that leaks through logs and Referer headers.
func BodyValue(c *fiber.Ctx, name string) string {
	if v := c.Request().PostArgs().Peek(name); v != nil {
		return string(v)
	}
	if form, err := c.MultipartForm(); err == nil {
		if vs := form.Value[name]; len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// IDParam parses the route parameter name as a UUID; a malformed id is a
// record that does not exist (404), like any id the user may not see.
func IDParam(c *fiber.Ctx, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Params(name))
	if err != nil {
		return uuid.Nil, ErrNotFound
	}
	return id, nil
}
