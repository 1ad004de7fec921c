package admin

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
)

// status422 is the status of a page shown with validation errors.
func status422(errs derrors.Fields) int {
	if errs.Any() {
		return fiber.StatusUnprocessableEntity
	}
	return 0
}

// queryOf reads the request's query string for the filter parsers.
func queryOf(c *fiber.Ctx) query {
	return func(key string) string { return c.Query(key) }
}
