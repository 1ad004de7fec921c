package admin

import (
	"log/slog"
	"time"

	"assistant-declaration/app/db"
)

// Handlers serves the back office.
type Handlers struct {
	db     *db.DB
	logger *slog.Logger
	// now is the clock, replaceable in tests.
	now func() time.Time
	// BannerChanged is called after the maintenance banner changed, so that
	// this instance shows the change at once (web.Middleware.RefreshBanner).
	BannerChanged func()
	// JobCatalog is the instance's scheduler, for the jobs page.
	JobCatalog JobCatalog
}

// NewHandlers builds the back office handlers.
func NewHandlers(d *db.DB, logger *slog.Logger) *Handlers {
	return &Handlers{db: d, logger: logger, now: time.Now, BannerChanged: func() {}}
}
