package agencies

import "github.com/uptrace/bun"

// Handlers serves the back office page of the agencies.
type Handlers struct {
	db bun.IDB
}

// NewHandlers builds the agencies' handlers.
func NewHandlers(db bun.IDB) *Handlers { return &Handlers{db: db} }
