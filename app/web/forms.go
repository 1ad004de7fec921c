package web

import (
	netmail "net/mail"
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
