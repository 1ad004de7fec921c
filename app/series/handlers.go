package series

import "assistant-declaration/app/db"

// Handlers serves the list of series and the manual series pages. Every
// route goes through organizations.RequireCollaborator.
type Handlers struct {
	db *db.DB
}

// NewHandlers builds the handlers.
func NewHandlers(d *db.DB) *Handlers { return &Handlers{db: d} }
