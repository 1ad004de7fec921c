package organizations

import (
	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"assistant-declaration/config"
)

// Handlers serves the organization pages.
type Handlers struct {
	svc *Service
	// Panels fills the organization page's sections owned by the packages
	// building on this one (series, synchronization), which this package
	// cannot import; app/app.go sets it.
	Panels func(c *fiber.Ctx) (Panels, error)
}

// NewHandlers builds the handlers; the directories are the real APIs or the
// mock depending on cfg (see NewDirectories).
func NewHandlers(cfg *config.Config, idb bun.IDB) *Handlers {
	companies, addresses := NewDirectories(cfg)
	return &Handlers{svc: &Service{DB: idb, Companies: companies, Addresses: addresses, BaseURL: cfg.BaseURL}}
}
