// Package series owns the organization's list of event series
// ("spectacles") and the series typed by hand in the MANUAL ticketing system.
// Series of remote ticketing systems are written by package synchronization;
// the event_series and events rows of every serie by package declarations.
package series

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/ticketing"
)

// Filter is one tab of the list.
type Filter string

// The tabs of the list, in display order. ToDeclare is the default.
const (
	All       Filter = "all"
	ToDeclare Filter = "to-declare"
	InAlert   Filter = "alert"
	Declared  Filter = "declared"
)

// Filters are the tabs in display order.
var Filters = []Filter{All, ToDeclare, InAlert, Declared}

// LabelKey is the message key of the tab's name.
func (f Filter) LabelKey() string { return "series.filters." + string(f) }

// CountsAlerts tells whether the tab's count is also shown as a red badge:
// series in alert need the user's attention.
func (f Filter) CountsAlerts() bool { return f == InAlert }

// ParseFilter returns the filter named in the URL, the default one when the
// value is empty or unknown (an old bookmark must still show a list).
func ParseFilter(s string) Filter {
	f := Filter(s)
	if slices.Contains(Filters, f) {
		return f
	}
	return ToDeclare
}

// Status is where a serie stands; it decides the badge and the tabs.
type Status string

// Statuses of a serie.
const (
	StatusNoEvents  Status = "noEvents"  // nothing to declare (decision D9, docs/decisions.md)
	StatusUpcoming  Status = "upcoming"  // its last performance is not over
	StatusToDeclare Status = "toDeclare" // over, no declaration yet
	StatusAlert     Status = "alert"     // a transmission is pending without success
	StatusDeclared  Status = "declared"
)

// LabelKey is the message key of the status' badge.
func (st Status) LabelKey() string { return "series.status." + string(st) }

// BadgeClass is the DSFR modifier of the status' badge, if any.
func (st Status) BadgeClass() string {
	switch st {
	case StatusToDeclare:
		return "fr-badge--new"
	case StatusAlert:
		return "fr-badge--error"
	case StatusDeclared:
		return "fr-badge--success"
	case StatusUpcoming:
		return "fr-badge--info"
	}
	return ""
}

// Serie is one line of the list.
type Serie struct {
	ID                  uuid.UUID        `bun:"id"`
	Name                string           `bun:"name"`
	TicketingSystemName ticketing.System `bun:"ticketing_system_name"`
	EventCount          int              `bun:"event_count"`
	StartAt             *time.Time       `bun:"start_at"` // earliest performance start
	EndAt               *time.Time       `bun:"end_at"`   // end (or start) of the latest-starting performance
	RevenueIncludingTax decimal.Decimal  `bun:"revenue_including_taxes"`
	PaidTickets         int              `bun:"paid_tickets"`
	FreeTickets         int              `bun:"free_tickets"`
	// Declared: the serie has a declaration row, so it is frozen
	// (declarations.DeclaredSQL).
	Declared bool `bun:"declared"`
	// PendingUntransmitted counts declaration rows still PENDING without a
	// successful transmission: the "En alerte" state.
	PendingUntransmitted int `bun:"pending_untransmitted"`
	// AcceptedByAll: every organism chosen accepted the declaration
	// (declarations.AcceptedByAllSQL); LastManualUpdateAt: the form was saved.
	AcceptedByAll      bool       `bun:"accepted_by_all"`
	LastManualUpdateAt *time.Time `bun:"last_manual_update_at"`

	Status Status `bun:"-"`
}

// Action is what the list offers for the serie's declaration ("Déclarer",
// "Compléter", "Voir la déclaration").
func (s *Serie) Action() declarations.Action {
	return declarations.ActionOf(s.AcceptedByAll, s.Declared, s.LastManualUpdateAt)
}

// IsManual tells whether the serie was typed by hand, hence editable.
func (s *Serie) IsManual() bool { return s.TicketingSystemName == ticketing.Manual }

// Locked tells whether a declaration exists: a manual serie can then no
// longer be edited nor deleted.
func (s *Serie) Locked() bool { return s.Declared }

// SameDay tells whether the serie starts and ends the same day in Paris, which
// shows one date with its time instead of a range.
func (s *Serie) SameDay() bool {
	return s.StartAt != nil && s.EndAt != nil && locale.Date(*s.StartAt) == locale.Date(*s.EndAt)
}

// classify computes the status of a serie at now (decision D9 in docs/decisions.md).
func classify(s *Serie, now time.Time) Status {
	switch {
	case s.PendingUntransmitted > 0:
		return StatusAlert
	case s.Declared:
		return StatusDeclared
	case s.EventCount == 0 || s.EndAt == nil:
		return StatusNoEvents
	case s.EndAt.Before(now):
		return StatusToDeclare
	}
	return StatusUpcoming
}

// in tells whether a serie of this status is listed under filter f.
func (st Status) in(f Filter) bool {
	switch f {
	case ToDeclare:
		return st == StatusToDeclare
	case InAlert:
		return st == StatusAlert
	case Declared:
		return st == StatusDeclared
	}
	return true
}

// List is the organization's series under one filter, with the count of
// every tab.
type List struct {
	Filter Filter
	Counts map[Filter]int
	Series []Serie
	// Total is the number of series of the organization, whatever the filter:
	// the tabs are shown only when there is one.
	Total int
}

// Overview is the organization's list of series under filter f at now
// (latest first: sorted by computed end descending, series without
// performances last), the state of its remote ticketing systems and its
// latest synchronization run (nil before the first), read in one statement:
// the organization page is the page entrepreneurs use most. The statement is
// prepared (cached per connection by pgx): planning it costs several times
// its execution.
func Overview(ctx context.Context, pool *pgxpool.Pool, organizationID uuid.UUID, f Filter, now time.Time) (_ *List, _ *SyncState, _ *synchronization.Run, err error) {
	defer derrors.Wrap(&err, "series: list the series of %s", organizationID)
	// The arguments and the serie's id go as pgx's own types, in binary: a
	// uuid.UUID would be encoded and scanned as text through database/sql's
	// interfaces, and a named string type through reflection.
	rows, err := pool.Query(ctx, overviewQuery, pgx.QueryExecModeCacheStatement,
		pgtype.UUID{Bytes: organizationID, Valid: true})
	if err != nil {
		return nil, nil, nil, err
	}
	defer rows.Close()
	// The row of the systems and latest run (serie id NULL), wherever it
	// comes, and one row per serie.
	var (
		all               []Serie
		remoteSystems     int
		neverSynchronized bool
		oldest            *time.Time
		latestRun         []byte
	)
	for rows.Next() {
		var (
			s          Serie
			id         pgtype.UUID
			system     string
			systems    int
			never      bool
			oldestSync *time.Time
			run        []byte
		)
		if err := rows.Scan(&systems, &never, &oldestSync, &run,
			&id, &s.Name, &system, &s.EventCount, &s.StartAt, &s.EndAt, &s.RevenueIncludingTax,
			&s.PaidTickets, &s.FreeTickets, &s.Declared, &s.PendingUntransmitted, &s.AcceptedByAll, &s.LastManualUpdateAt); err != nil {
			return nil, nil, nil, err
		}
		if !id.Valid {
			remoteSystems, neverSynchronized, oldest, latestRun = systems, never, oldestSync, run
			continue
		}
		s.ID, s.TicketingSystemName = id.Bytes, ticketing.System(system)
		all = append(all, s)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, nil, err
	}
	st := &SyncState{HasRemoteSystems: remoteSystems > 0}
	if !neverSynchronized {
		st.Oldest = oldest
	}
	st.Stale = st.HasRemoteSystems && (st.Oldest == nil || now.Sub(*st.Oldest) > StaleAfter)
	run, err := synchronization.DecodeRun(latestRun)
	if err != nil {
		return nil, nil, nil, err
	}
	return filter(all, f, now), st, run, nil
}

// overviewQuery is Overview's statement: $1 the organization. Its first
// branch is the one row of the organization's systems and latest run (serie
// id NULL), the second one row per serie: the run's JSON is read and sent
// once, not repeated on every serie.
var overviewQuery = `
WITH systems AS (
    SELECT count(*) AS remote_systems, coalesce(bool_or(last_synchronized_at IS NULL), false) AS never_synchronized,
           min(last_synchronized_at) AS oldest_synchronization
    FROM ticketing_systems AS ts WHERE ts.organization_id = $1 AND ` + synchronization.LiveRemoteSystemSQL("ts") + `)
SELECT systems.*, ` + synchronization.LatestRunJSON("$1") + ` AS latest_run,
       NULL::uuid, '', '', 0, NULL::timestamptz, NULL::timestamptz, 0, 0, 0, false, 0, false, NULL::timestamptz
FROM systems
UNION ALL
SELECT 0, false, NULL, NULL,
       s.id, s.name, ts.name, ev.event_count, ev.start_at, ev.end_at,
       ev.revenue_including_taxes, ev.paid_tickets, ev.free_tickets,
       ` + declarations.DeclaredSQL("s") + `, d.pending_untransmitted,
       coalesce(` + declarations.AcceptedByAllSQL("s") + `, false), s.last_manual_update_at
FROM event_series s
JOIN ticketing_systems ts ON ts.id = s.ticketing_system_id
CROSS JOIN LATERAL (
    SELECT count(*) AS event_count, min(e.start_at) AS start_at,
           (array_agg(coalesce(e.end_at, e.start_at) ORDER BY e.start_at DESC, e.id))[1] AS end_at,
           coalesce(sum(e.ticketing_revenue_including_taxes), 0) AS revenue_including_taxes,
           coalesce(sum(e.paid_tickets), 0) AS paid_tickets, coalesce(sum(e.free_tickets), 0) AS free_tickets
    FROM events e WHERE e.event_serie_id = s.id) ev
CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE d.status = 'PENDING' AND d.transmitted_at IS NULL) AS pending_untransmitted
    FROM event_serie_declarations d WHERE d.event_serie_id = s.id) d
WHERE ts.organization_id = $1`

// filter classifies, counts, filters and sorts the series of an organization.
func filter(all []Serie, f Filter, now time.Time) *List {
	l := &List{Filter: f, Counts: make(map[Filter]int, len(Filters)), Total: len(all)}
	for i := range all {
		s := &all[i]
		s.Status = classify(s, now)
		for _, tab := range Filters {
			if s.Status.in(tab) {
				l.Counts[tab]++
			}
		}
		if s.Status.in(f) {
			l.Series = append(l.Series, *s)
		}
	}
	slices.SortStableFunc(l.Series, func(a, b Serie) int {
		if c := compareEnd(b.EndAt, a.EndAt); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return l
}

// compareEnd orders end dates, a missing one (no performance) first.
func compareEnd(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}

// SyncState is what the list says about the remote ticketing systems.
type SyncState struct {
	// HasRemoteSystems is false when the organization has only its MANUAL
	// system (or nothing): the page then invites to connect one.
	HasRemoteSystems bool
	// Oldest is the oldest last synchronization among the remote systems; nil
	// when one was never synchronized.
	Oldest *time.Time
	// Stale asks the user to synchronize: a system was never synchronized or
	// not for more than 24 hours.
	Stale bool
}

// StaleAfter is how old the oldest synchronization may be before the nudge.
const StaleAfter = 24 * time.Hour
