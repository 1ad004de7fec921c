package declarations

import (
	"sync"
	"time"

	"assistant-declaration/app/db"
	"assistant-declaration/app/organizations"
	"assistant-declaration/config"
)

// Handlers serves the declaration page of a serie: routes under
// /dashboard/organization/:organizationId go through
// organizations.RequireCollaborator, the admin view through web.RequireAdmin.
type Handlers struct {
	db        *db.DB
	companies organizations.CompanyDirectory
	addresses organizations.AddressDirectory
	now       func() time.Time
	// Attachments is the page's panel of the serie's documents (package
	// attachments, rendered by partials/attachments/panel); set by the app.
	// Its view is read-only once the declaration can no longer change, or
	// for the back office (whose downloads go through the admin route).
	Attachments Panel
	// Transmission is the page's transmission panel (package
	// transmissions, rendered by partials/transmissions/panel): the
	// "Déclarer" button, the progress and each organism's state; set by the
	// app.
	Transmission Panel

	// pageSQL is pageQuery's text, built once the panels are set.
	pageSQL     string
	pageSQLOnce sync.Once
}

// NewHandlers builds the handlers; the producer and address look-ups are the
// organization creation's directories (real APIs or their mock, by cfg).
func NewHandlers(cfg *config.Config, idb *db.DB) *Handlers {
	companies, addresses := organizations.NewDirectories(cfg)
	return &Handlers{db: idb, companies: companies, addresses: addresses, now: time.Now}
}
