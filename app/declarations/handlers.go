package declarations

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/organizations"
	"assistant-declaration/config"
)

// Handlers serves the declaration page of a serie: routes under
// /dashboard/organization/:organizationId go through
// organizations.RequireCollaborator, the admin view through web.RequireAdmin.
type Handlers struct {
	db        bun.IDB
	companies organizations.CompanyDirectory
	addresses organizations.AddressDirectory
	now       func() time.Time
	// Attachments gives the page the attachments panel of a serie (package
	// attachments, rendered by partials/attachments/panel); set by the app.
	// readOnly is true once the declaration can no longer change; admin is
	// the back office's view (its downloads go through the admin route).
	Attachments func(c *fiber.Ctx, organizationID, serieID uuid.UUID, readOnly, admin bool) (any, error)
	// Transmission gives the page the transmission panel of a serie
	// (package transmissions, rendered by partials/transmissions/panel):
	// the "Déclarer" button, the progress and each organism's state; set by
	// the app.
	Transmission func(c *fiber.Ctx, organizationID, serieID uuid.UUID, admin bool) (any, error)
}

// NewHandlers builds the handlers; the producer and address look-ups are the
// organization creation's directories (real APIs or their mock, by cfg).
func NewHandlers(cfg *config.Config, idb bun.IDB) *Handlers {
	companies, addresses := organizations.NewDirectories(cfg)
	return &Handlers{db: idb, companies: companies, addresses: addresses, now: time.Now}
}
