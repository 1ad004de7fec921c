package statistics

import (
	"assistant-declaration/app/db"
)

// Handlers serves the statistics pages.
type Handlers struct {
	db *db.DB
}

// NewHandlers builds the statistics handlers.
func NewHandlers(d *db.DB) *Handlers { return &Handlers{db: d} }
