package declarations

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"
)

// The statements below are the writes a ticketing synchronization makes to
// event_series and events (tables this package owns). Package synchronization
// computes the diff and calls them inside its per-system transaction; each one
// does nothing when given nothing, so that an unchanged system writes nothing.

// SynchronizedSerieRow is the part of event_series a synchronization writes;
// the declaration columns keep their database defaults.
type SynchronizedSerieRow struct {
	bun.BaseModel `bun:"table:event_series,alias:es"`

	ID                uuid.UUID       `bun:"id,pk"`
	TicketingSystemID uuid.UUID       `bun:"ticketing_system_id"`
	InternalID        string          `bun:"internal_ticketing_system_id"`
	Name              string          `bun:"name"`
	TaxRate           decimal.Decimal `bun:"ticketing_revenue_tax_rate"`
}

// SynchronizedEventRow is the part of events a synchronization writes.
type SynchronizedEventRow struct {
	bun.BaseModel `bun:"table:events,alias:e"`

	ID              uuid.UUID           `bun:"id,pk"`
	EventSerieID    uuid.UUID           `bun:"event_serie_id"`
	InternalID      string              `bun:"internal_ticketing_system_id"`
	StartAt         time.Time           `bun:"start_at"`
	EndAt           *time.Time          `bun:"end_at"`
	Incl            decimal.Decimal     `bun:"ticketing_revenue_including_taxes"`
	Excl            decimal.Decimal     `bun:"ticketing_revenue_excluding_taxes"`
	TaxRateOverride decimal.NullDecimal `bun:"ticketing_revenue_tax_rate_override"`
	FreeTickets     int                 `bun:"free_tickets"`
	PaidTickets     int                 `bun:"paid_tickets"`
}

// synchronizedInsertBatch bounds the rows of one INSERT.
const synchronizedInsertBatch = 1000

// ReattachSynchronizedSeries moves series of a former connection of the same
// provider to the ticketing system systemID (reconnecting never duplicates
// series, decision T5 in docs/decisions.md).
func ReattachSynchronizedSeries(ctx context.Context, idb bun.IDB, systemID uuid.UUID, serieIDs []uuid.UUID) error {
	if len(serieIDs) == 0 {
		return nil
	}
	if _, err := idb.NewUpdate().Table("event_series").Where("id IN (?)", bun.List(serieIDs)).
		Set("ticketing_system_id = ?", systemID).Set("updated_at = now()").Exec(ctx); err != nil {
		return fmt.Errorf("declarations: reattach %d series to ticketing system %s: %w", len(serieIDs), systemID, err)
	}
	return nil
}

// InsertSynchronizedSeries inserts the series a synchronization found new.
func InsertSynchronizedSeries(ctx context.Context, idb bun.IDB, rows []SynchronizedSerieRow) error {
	for start := 0; start < len(rows); start += synchronizedInsertBatch {
		batch := rows[start:min(start+synchronizedInsertBatch, len(rows))]
		if _, err := idb.NewInsert().Model(&batch).Exec(ctx); err != nil {
			return fmt.Errorf("declarations: insert %d synchronized series from %s: %w", len(batch), batch[0].ID, err)
		}
	}
	return nil
}

// RenameSynchronizedSeries gives each serie of rows (by ID) its Name.
func RenameSynchronizedSeries(ctx context.Context, idb bun.IDB, rows []SynchronizedSerieRow) error {
	for _, r := range rows {
		if _, err := idb.NewUpdate().Table("event_series").Where("id = ?", r.ID).
			Set("name = ?", r.Name).Set("updated_at = now()").Exec(ctx); err != nil {
			return fmt.Errorf("declarations: rename synchronized serie %s: %w", r.ID, err)
		}
	}
	return nil
}

// InsertSynchronizedEvents inserts the events a synchronization found new.
func InsertSynchronizedEvents(ctx context.Context, idb bun.IDB, rows []SynchronizedEventRow) error {
	for start := 0; start < len(rows); start += synchronizedInsertBatch {
		batch := rows[start:min(start+synchronizedInsertBatch, len(rows))]
		if _, err := idb.NewInsert().Model(&batch).Exec(ctx); err != nil {
			return fmt.Errorf("declarations: insert %d synchronized events from %s: %w", len(batch), batch[0].ID, err)
		}
	}
	return nil
}

// UpdateSynchronizedEvents overwrites the ticketing data (dates, revenue, rate
// override, tickets) of each event of rows (by ID).
func UpdateSynchronizedEvents(ctx context.Context, idb bun.IDB, rows []SynchronizedEventRow) error {
	for i := range rows {
		if _, err := idb.NewUpdate().Model(&rows[i]).WherePK().
			Column("start_at", "end_at", "ticketing_revenue_including_taxes", "ticketing_revenue_excluding_taxes",
				"ticketing_revenue_tax_rate_override", "free_tickets", "paid_tickets").
			Set("updated_at = now()").Exec(ctx); err != nil {
			return fmt.Errorf("declarations: update synchronized event %s: %w", rows[i].ID, err)
		}
	}
	return nil
}

// FlagSynchronizedEventsRemoved marks hand-edited events the ticketing system
// no longer lists: they are kept (decision T4 in docs/decisions.md).
func FlagSynchronizedEventsRemoved(ctx context.Context, idb bun.IDB, eventIDs []uuid.UUID) error {
	return setSynchronizedEventsRemoved(ctx, idb, eventIDs, "removed_from_ticketing_system_at = now()")
}

// UnflagSynchronizedEventsRemoved clears the mark of flagged events the
// ticketing system lists again.
func UnflagSynchronizedEventsRemoved(ctx context.Context, idb bun.IDB, eventIDs []uuid.UUID) error {
	return setSynchronizedEventsRemoved(ctx, idb, eventIDs, "removed_from_ticketing_system_at = NULL")
}

func setSynchronizedEventsRemoved(ctx context.Context, idb bun.IDB, eventIDs []uuid.UUID, set string) error {
	if len(eventIDs) == 0 {
		return nil
	}
	if _, err := idb.NewUpdate().Table("events").Where("id IN (?)", bun.List(eventIDs)).
		Set(set).Set("updated_at = now()").Exec(ctx); err != nil {
		return fmt.Errorf("declarations: set %s on %d events from %s: %w", set, len(eventIDs), eventIDs[0], err)
	}
	return nil
}

// DeleteSynchronizedEvents deletes the events, never edited by hand, that the
// ticketing system no longer lists.
func DeleteSynchronizedEvents(ctx context.Context, idb bun.IDB, eventIDs []uuid.UUID) error {
	if len(eventIDs) == 0 {
		return nil
	}
	if _, err := idb.NewDelete().Table("events").Where("id IN (?)", bun.List(eventIDs)).Exec(ctx); err != nil {
		return fmt.Errorf("declarations: delete %d synchronized events from %s: %w", len(eventIDs), eventIDs[0], err)
	}
	return nil
}
