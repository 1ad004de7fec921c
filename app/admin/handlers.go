// Package admin is the back office over the other domains (decision P8, docs/decisions.md):
// organizations and users with search, filters, sort, pagination and CSV
// export, disabling users (decision P7, docs/decisions.md), impersonation (P9) and the audit log. Every
// route is behind web.RequireAdmin except stopping an impersonation, which
// the impersonating admin must reach while acting as someone else. Admin reads
// the other domains' tables; it writes them only through their owners'
// functions (users, organizations, audit, web's sessions, mail).
package admin

import (
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
)

// ImpersonationTTL is how long an impersonation lasts before it ends by itself.
const ImpersonationTTL = time.Hour

// Handlers serves the back office.
type Handlers struct {
	db     *db.DB
	logger *slog.Logger
	// now is the clock, replaceable in tests.
	now func() time.Time
}

// NewHandlers builds the back office handlers.
func NewHandlers(d *db.DB, logger *slog.Logger) *Handlers {
	return &Handlers{db: d, logger: logger, now: time.Now}
}

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
