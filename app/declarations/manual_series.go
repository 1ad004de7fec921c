package declarations

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// ManualEvent is a performance of a serie typed by hand (the MANUAL ticketing
// system), validated by package series.
type ManualEvent struct {
	ID      uuid.UUID // uuid.Nil for a new performance
	StartAt time.Time
	EndAt   *time.Time
}

// CreateManualSerie inserts the serie serieID typed by hand in the MANUAL
// system systemID, with the defaults of a new serie: tax rate 0.055, zero
// amounts and tickets. Its performances come with ReplaceManualEvents.
func CreateManualSerie(ctx context.Context, idb bun.IDB, systemID, serieID uuid.UUID, name string) (err error) {
	defer derrors.Wrap(&err, "declarations: create manual serie %s", serieID)
	// The remote id of a manual serie is ours: a UUID cannot collide where
	// the original's millisecond timestamp could.
	_, err = idb.NewRaw(`INSERT INTO event_series (id, ticketing_system_id, internal_ticketing_system_id, name, ticketing_revenue_tax_rate)
VALUES (?, ?, ?, ?, 0.055)`, serieID, systemID, serieID.String(), name).Exec(ctx)
	return err
}

// UpdateManualSerie renames a manual serie.
func UpdateManualSerie(ctx context.Context, idb bun.IDB, serieID uuid.UUID, name string) (err error) {
	defer derrors.Wrap(&err, "declarations: rename manual serie %s", serieID)
	_, err = idb.NewRaw(`UPDATE event_series SET name = ?, updated_at = now() WHERE id = ?`, name, serieID).Exec(ctx)
	return err
}

// DeleteManualSerie deletes a manual serie; its performances go with it
// (cascade), places stay (decision D5 in docs/decisions.md).
func DeleteManualSerie(ctx context.Context, idb bun.IDB, serieID uuid.UUID) (err error) {
	defer derrors.Wrap(&err, "declarations: delete manual serie %s", serieID)
	_, err = idb.NewRaw(`DELETE FROM event_series WHERE id = ?`, serieID).Exec(ctx)
	return err
}

// ReplaceManualEvents makes events the performances of the manual serie
// serieID: new ones are created (zero amounts), missing ones deleted, the
// others get their dates. An id the serie does not have (another serie's, or
// deleted meanwhile), or given twice, is a new performance.
func ReplaceManualEvents(ctx context.Context, idb bun.IDB, serieID uuid.UUID, events []ManualEvent) (err error) {
	defer derrors.Wrap(&err, "declarations: replace the performances of manual serie %s", serieID)
	var stored []uuid.UUID
	if err := idb.NewRaw(`SELECT id FROM events WHERE event_serie_id = ?`, serieID).Scan(ctx, &stored); err != nil {
		return err
	}
	known := make(map[uuid.UUID]bool, len(stored))
	for _, id := range stored {
		known[id] = true
	}
	kept := map[uuid.UUID]bool{}
	for _, e := range events {
		if e.ID == uuid.Nil || !known[e.ID] || kept[e.ID] {
			if err := insertManualEvent(ctx, idb, serieID, e); err != nil {
				return err
			}
			continue
		}
		kept[e.ID] = true
		if _, err := idb.NewRaw(`UPDATE events SET start_at = ?, end_at = ?, updated_at = now()
WHERE id = ? AND (start_at <> ? OR end_at IS DISTINCT FROM ?)`, e.StartAt, e.EndAt, e.ID, e.StartAt, e.EndAt).Exec(ctx); err != nil {
			return err
		}
	}
	for _, id := range stored {
		if !kept[id] {
			if _, err := idb.NewRaw(`DELETE FROM events WHERE id = ?`, id).Exec(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

func insertManualEvent(ctx context.Context, idb bun.IDB, serieID uuid.UUID, e ManualEvent) error {
	id := uuid.New()
	_, err := idb.NewRaw(`INSERT INTO events (id, event_serie_id, internal_ticketing_system_id, start_at, end_at) VALUES (?, ?, ?, ?, ?)`,
		id, serieID, id.String(), e.StartAt, e.EndAt).Exec(ctx)
	return err
}
