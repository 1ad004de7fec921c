package admin

import (
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
)

// idParam parses the :id of the route; a malformed id is simply not found.
func idParam(c *fiber.Ctx) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Params("id"))
	if err != nil {
		return uuid.Nil, derrors.ErrNotFound
	}
	return id, nil
}

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
