package accounts

import (
	"github.com/uptrace/bun"

	"assistant-declaration/app/web"
)

// Handlers serves the account pages.
type Handlers struct {
	svc        *Service
	limiter    *Limiter
	mw         *web.Middleware
	db         bun.IDB
	proConnect *ProConnect // nil when ProConnect is not configured
}

// NewHandlers builds the account handlers; proConnect may be nil.
func NewHandlers(db bun.IDB, mw *web.Middleware, baseURL string, proConnect *ProConnect) *Handlers {
	return &Handlers{svc: NewService(db, baseURL), limiter: NewLimiter(db), mw: mw, db: db, proConnect: proConnect}
}

// Service exposes the account rules (CLI, demo data).
func (h *Handlers) Service() *Service { return h.svc }
