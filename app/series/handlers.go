package series

import "github.com/uptrace/bun"

// Handlers serves the list of series and the manual series pages. Every
// route goes through organizations.RequireCollaborator.
type Handlers struct {
	db bun.IDB
}

// NewHandlers builds the handlers.
func NewHandlers(idb bun.IDB) *Handlers { return &Handlers{db: idb} }
