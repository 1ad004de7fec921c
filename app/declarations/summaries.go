package declarations

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// Summary is one serie of an organization as the back office lists it, with
// the state of its declaration.
type Summary struct {
	ID                  uuid.UUID  `bun:"id"`
	Name                string     `bun:"name"`
	TicketingSystemName string     `bun:"ticketing_system_name"`
	EventCount          int        `bun:"event_count"`
	StartAt             *time.Time `bun:"start_at"` // earliest performance
	// AcceptedByAll: every chosen organism accepted (AcceptedByAllSQL);
	// Declared: the serie has declaration rows (DeclaredSQL).
	AcceptedByAll      bool       `bun:"accepted_by_all"`
	Declared           bool       `bun:"declared"`
	LastManualUpdateAt *time.Time `bun:"last_manual_update_at"`
}

// Action is the state of the serie's declaration (its label in the list).
func (s Summary) Action() Action { return ActionOf(s.AcceptedByAll, s.Declared, s.LastManualUpdateAt) }

// Summaries lists the series of organization orgID, the latest performances
// first, in one statement whatever their number.
func Summaries(ctx context.Context, idb bun.IDB, orgID uuid.UUID) (out []Summary, err error) {
	defer derrors.Wrap(&err, "declarations: series of organization %s", orgID)
	err = idb.NewRaw(`SELECT s.id, s.name, ts.name AS ticketing_system_name, ev.event_count, ev.start_at,
       `+AcceptedByAllSQL("s")+` AS accepted_by_all, `+DeclaredSQL("s")+` AS declared, s.last_manual_update_at
FROM event_series s
JOIN ticketing_systems ts ON ts.id = s.ticketing_system_id
CROSS JOIN LATERAL (SELECT count(*) AS event_count, min(e.start_at) AS start_at FROM events e WHERE e.event_serie_id = s.id) ev
WHERE ts.organization_id = ?
ORDER BY ev.start_at DESC NULLS LAST, s.name, s.id`, orgID).Scan(ctx, &out)
	return out, err
}
