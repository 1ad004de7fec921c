package web

import (
	netmail "net/mail"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// FormErrors maps a form field name to the message key of its error. Handlers
// re-render the form with status 422 and the user's input when it is not empty.
type FormErrors map[string]string

// Add records the first error of a field.
func (e FormErrors) Add(field, key string) {
	if _, exists := e[field]; !exists {
		e[field] = key
	}
}

// Any reports whether at least one field is in error.
func (e FormErrors) Any() bool { return len(e) > 0 }

// FormValue returns a trimmed form field.
func FormValue(c *fiber.Ctx, name string) string {
	return strings.TrimSpace(c.FormValue(name))
}

// ValidEmail reports whether email (already trimmed) is a plain address that
// can receive mail: one addr-spec, a dot in the domain, at most 254
// characters (RFC 5321's limit on a path).
func ValidEmail(email string) bool {
	if len(email) > 254 {
		return false
	}
	a, err := netmail.ParseAddress(email)
	return err == nil && a.Address == email && strings.Contains(email[strings.LastIndex(email, "@")+1:], ".")
}
