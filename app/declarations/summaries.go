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
	// Organisms are the state at each organism chosen or declared to,
	// SACEM first.
	Organisms []OrganismState `bun:"organisms,type:jsonb"`
}

// OrganismState is where the declaration of a serie to one organism stands.
type OrganismState struct {
	Organism Organism `json:"organism"`
	// Status is "" when nothing was sent to the organism yet.
	Status        Status     `json:"status"`
	TransmittedAt *time.Time `json:"transmitted_at"`
	// Error is the code of the last failed attempt, "" if none.
	Error string `json:"error"`
}

// Accepted reports whether the organism accepted the declaration.
func (s OrganismState) Accepted() bool { return s.Status == StatusProcessed && s.TransmittedAt != nil }

// AcceptedOn is when the organism accepted the declaration.
func (s OrganismState) AcceptedOn() time.Time {
	if s.TransmittedAt == nil {
		return time.Time{}
	}
	return *s.TransmittedAt
}

// Action is the state of the serie's declaration (its label in the list).
func (s Summary) Action() Action { return ActionOf(s.AcceptedByAll, s.Declared, s.LastManualUpdateAt) }

// Summaries lists the series of organization orgID, the latest performances
// first, with the state at each organism, in one statement whatever their
// number.
func Summaries(ctx context.Context, idb bun.IDB, orgID uuid.UUID) (out []Summary, err error) {
	defer derrors.Wrap(&err, "declarations: series of organization %s", orgID)
	err = idb.NewRaw(`SELECT s.id, s.name, ts.name AS ticketing_system_name, ev.event_count, ev.start_at,
       `+AcceptedByAllSQL("s")+` AS accepted_by_all, `+DeclaredSQL("s")+` AS declared, s.last_manual_update_at,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('organism', x.o, 'status', coalesce(d.status, ''), 'transmitted_at', d.transmitted_at,
                'error', coalesce(d.last_transmission_error, '')) ORDER BY x.o DESC), '[]')
        FROM (SELECT unnest(s.expected_declaration_types) UNION SELECT d2.type FROM event_serie_declarations d2 WHERE d2.event_serie_id = s.id) AS x(o)
        LEFT JOIN event_serie_declarations d ON d.event_serie_id = s.id AND d.type = x.o) AS organisms
FROM event_series s
JOIN ticketing_systems ts ON ts.id = s.ticketing_system_id
CROSS JOIN LATERAL (SELECT count(*) AS event_count, min(e.start_at) AS start_at FROM events e WHERE e.event_serie_id = s.id) ev
WHERE ts.organization_id = ?
ORDER BY ev.start_at DESC NULLS LAST, s.name, s.id`, orgID).Scan(ctx, &out)
	return out, err
}
