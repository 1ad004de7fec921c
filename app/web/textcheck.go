package web

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// ErrInvalidText is answered when a query value or a form field holds text
// no page accepts: a NUL byte (PostgreSQL refuses it in text columns) or
// invalid UTF-8.
var ErrInvalidText = NewError(fiber.StatusBadRequest, "errors.invalidText")

// rejectInvalidText checks every query value and every text field of an
// urlencoded or multipart body (never the contents of uploaded files) before
// any handler sees them, so no handler has to.
func rejectInvalidText(c *fiber.Ctx) error {
	valid := true
	check := func(k, v []byte) {
		if valid && (!validText(k) || !validText(v)) {
			valid = false
		}
	}
	c.Context().QueryArgs().VisitAll(check)
	if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
		ctype := string(c.Request().Header.ContentType())
		switch {
		case strings.HasPrefix(ctype, fiber.MIMEApplicationForm):
			c.Request().PostArgs().VisitAll(check)
		case strings.HasPrefix(ctype, fiber.MIMEMultipartForm):
			// The parsed form is kept by fasthttp: handlers reading it
			// afterwards do not parse the body again.
			form, err := c.MultipartForm()
			if err != nil && !errors.Is(err, fasthttp.ErrNoMultipartForm) {
				return NewError(fiber.StatusBadRequest, "errors.badRequest")
			}
			if form != nil {
				for k, vs := range form.Value {
					for _, v := range vs {
						check([]byte(k), []byte(v))
					}
				}
			}
		}
	}
	if !valid {
		return ErrInvalidText
	}
	return c.Next()
}

func validText(b []byte) bool {
	return bytes.IndexByte(b, 0) < 0 && utf8.Valid(b)
}
