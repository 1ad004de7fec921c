package series

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/web"
)

// Limits of the manual form (rule R3 in docs/decisions.md: dates between 2020 and 2050).
const (
	MaxNameLength = 200
	MaxEvents     = 100
	// DateTimeLayout is the value of a datetime-local input, read in Paris.
	DateTimeLayout = "2006-01-02T15:04"
)

var (
	minDate = time.Date(2020, 1, 1, 0, 0, 0, 0, locale.Paris)
	maxDate = time.Date(2050, 1, 1, 0, 0, 0, 0, locale.Paris)
)

// Audit actions of manual series.
const (
	auditCreated = "serie_created"
	auditUpdated = "serie_updated"
	auditDeleted = "serie_deleted"
)

// Business errors of manual series (rules R3 and R4, docs/decisions.md): 409 with a translated message.
var (
	ErrNotManual    = web.NewError(fiber.StatusConflict, "series.errors.onlyManual")
	ErrNotUpdatable = web.NewError(fiber.StatusConflict, "series.errors.transmittedDeclarationCannotBeUpdated")
	ErrNotDeletable = web.NewError(fiber.StatusConflict, "series.errors.notDeletable")
)

// EventForm is one performance of the manual form as typed: datetime-local
// values, kept as is to re-render the form.
type EventForm struct {
	ID      string // empty for a performance not saved yet
	StartAt string
	EndAt   string
}

// Form is the manual serie form as typed.
type Form struct {
	Name   string
	Events []EventForm
}

// ManualEvent is a validated performance.
type ManualEvent struct {
	ID      uuid.UUID // uuid.Nil for a new performance
	StartAt time.Time
	EndAt   *time.Time
}

// ManualSerie is a validated manual serie.
type ManualSerie struct {
	Name   string
	Events []ManualEvent
}

// EventField names the form field of performance i ("events.0.startAt").
func EventField(i int, field string) string { return fmt.Sprintf("events.%d.%s", i, field) }

// Validate checks the form (rule R3 in docs/decisions.md): a name, at least one performance, valid
// dates between 2020 and 2050, and an end after the start.
func (f *Form) Validate() (ManualSerie, web.FormErrors) {
	errs := web.FormErrors{}
	s := ManualSerie{Name: f.Name}
	switch {
	case f.Name == "":
		errs.Add("name", "series.errors.nameRequired")
	case utf8.RuneCountInString(f.Name) > MaxNameLength:
		errs.Add("name", "series.errors.nameTooLong")
	}
	switch {
	case len(f.Events) == 0:
		errs.Add("events", "series.errors.atLeastOneEvent")
	case len(f.Events) > MaxEvents:
		errs.Add("events", "series.errors.tooManyEvents")
	}
	for i, e := range f.Events {
		var ev ManualEvent
		if e.ID != "" {
			id, err := uuid.Parse(e.ID)
			if err != nil {
				// Only a forged form gets here: treat it as a new performance.
				id = uuid.Nil
			}
			ev.ID = id
		}
		start, key := parseDate(e.StartAt, true)
		if key != "" {
			errs.Add(EventField(i, "startAt"), key)
		}
		ev.StartAt = start
		end, key := parseDate(e.EndAt, false)
		switch {
		case key != "":
			errs.Add(EventField(i, "endAt"), key)
		case !end.IsZero() && !start.IsZero() && end.Before(start):
			errs.Add(EventField(i, "endAt"), "series.errors.eventEndDateMustBeAfterStartDate")
		case !end.IsZero():
			ev.EndAt = &end
		}
		s.Events = append(s.Events, ev)
	}
	return s, errs
}

// parseDate reads a datetime-local value in Paris; key is the error, if any.
func parseDate(v string, required bool) (t time.Time, key string) {
	if v == "" {
		if required {
			return t, "series.errors.startAtRequired"
		}
		return t, ""
	}
	t, err := time.ParseInLocation(DateTimeLayout, v, locale.Paris)
	if err != nil {
		// Some browsers send seconds.
		if t, err = time.ParseInLocation(DateTimeLayout+":05", v, locale.Paris); err != nil {
			return time.Time{}, "series.errors.invalidDate"
		}
	}
	if t.Before(minDate) || t.After(maxDate) {
		return time.Time{}, "series.errors.dateOutOfRange"
	}
	return t, ""
}

// FormatInput renders t for a datetime-local input, in Paris.
func FormatInput(t time.Time) string { return t.In(locale.Paris).Format(DateTimeLayout) }

// CreateManual creates a manual serie and its performances in one transaction,
// with the organization's MANUAL ticketing system when it has none yet
// (rule S13, docs/decisions.md). New series get the defaults of a new serie: tax rate 0.055,
// zero amounts and tickets.
func CreateManual(ctx context.Context, db bun.IDB, organizationID uuid.UUID, s ManualSerie, by audit.Actor) (uuid.UUID, error) {
	id := uuid.New()
	err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		systemID, err := manualSystem(ctx, tx, organizationID)
		if err != nil {
			return err
		}
		// The remote id of a manual serie is ours: a UUID cannot collide
		// where the original's millisecond timestamp could.
		if _, err := tx.NewRaw(`INSERT INTO event_series (id, ticketing_system_id, internal_ticketing_system_id, name, ticketing_revenue_tax_rate)
VALUES (?, ?, ?, ?, 0.055)`, id, systemID, id.String(), s.Name).Exec(ctx); err != nil {
			return err
		}
		for _, e := range s.Events {
			if err := insertEvent(ctx, tx, id, e); err != nil {
				return err
			}
		}
		return record(ctx, tx, auditCreated, organizationID, id, s.Name, by)
	})
	return id, err
}

// manualSystem returns the organization's live MANUAL system, creating it
// when needed; the partial unique index makes two concurrent first series
// share one system.
func manualSystem(ctx context.Context, tx bun.Tx, organizationID uuid.UUID) (uuid.UUID, error) {
	if _, err := tx.NewRaw(`INSERT INTO ticketing_systems (organization_id, name) VALUES (?, ?)
ON CONFLICT (organization_id) WHERE name = 'MANUAL' AND deleted_at IS NULL DO NOTHING`, organizationID, ticketing.Manual).Exec(ctx); err != nil {
		return uuid.Nil, err
	}
	var id uuid.UUID
	err := tx.NewRaw(`SELECT id FROM ticketing_systems WHERE organization_id = ? AND name = ? AND deleted_at IS NULL`,
		organizationID, ticketing.Manual).Scan(ctx, &id)
	return id, err
}

func insertEvent(ctx context.Context, tx bun.Tx, serieID uuid.UUID, e ManualEvent) error {
	id := uuid.New()
	_, err := tx.NewRaw(`INSERT INTO events (id, event_serie_id, internal_ticketing_system_id, start_at, end_at) VALUES (?, ?, ?, ?, ?)`,
		id, serieID, id.String(), e.StartAt, e.EndAt).Exec(ctx)
	return err
}

// Editable is a manual serie as the edit form shows it.
type Editable struct {
	ID     uuid.UUID
	Name   string
	Events []ManualEvent
}

// Form returns the edit form filled with the stored serie, performances by
// start.
func (e *Editable) Form() Form {
	f := Form{Name: e.Name}
	for _, ev := range e.Events {
		ef := EventForm{ID: ev.ID.String(), StartAt: FormatInput(ev.StartAt)}
		if ev.EndAt != nil {
			ef.EndAt = FormatInput(*ev.EndAt)
		}
		f.Events = append(f.Events, ef)
	}
	return f
}

// GetEditable loads a manual serie of the organization that may still be
// changed: web.ErrNotFound when it is not the organization's, ErrNotManual or
// ErrNotUpdatable otherwise. Inside a transaction, the serie row stays locked
// until it ends so that no declaration starts meanwhile.
func GetEditable(ctx context.Context, idb bun.IDB, organizationID, serieID uuid.UUID, locked *web.Error) (*Editable, error) {
	var row struct {
		Name           string           `bun:"name"`
		System         ticketing.System `bun:"system"`
		HasDeclaration bool             `bun:"has_declaration"`
	}
	q := `SELECT s.name, ts.name AS system,
       EXISTS (SELECT 1 FROM event_serie_declarations d WHERE d.event_serie_id = s.id) AS has_declaration
FROM event_series s JOIN ticketing_systems ts ON ts.id = s.ticketing_system_id
WHERE s.id = ? AND ts.organization_id = ?`
	if _, inTx := idb.(bun.Tx); inTx {
		q += " FOR UPDATE OF s"
	}
	err := idb.NewRaw(q, serieID, organizationID).Scan(ctx, &row)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, web.ErrNotFound
	case err != nil:
		return nil, err
	case row.System != ticketing.Manual:
		return nil, ErrNotManual
	case row.HasDeclaration:
		return nil, locked
	}
	e := &Editable{ID: serieID, Name: row.Name}
	err = idb.NewRaw(`SELECT id, start_at, end_at FROM events WHERE event_serie_id = ? ORDER BY start_at, id`, serieID).
		Scan(ctx, &e.Events)
	return e, err
}

// UpdateManual renames a manual serie and applies its performances: new ones
// are created (zero amounts), missing ones deleted, others get their dates
// (rule R3, docs/decisions.md), all in one transaction.
func UpdateManual(ctx context.Context, db bun.IDB, organizationID, serieID uuid.UUID, s ManualSerie, by audit.Actor) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		stored, err := GetEditable(ctx, tx, organizationID, serieID, ErrNotUpdatable)
		if err != nil {
			return err
		}
		kept := map[uuid.UUID]bool{}
		known := map[uuid.UUID]bool{}
		for _, e := range stored.Events {
			known[e.ID] = true
		}
		for _, e := range s.Events {
			// An unknown id (another serie's, or deleted meanwhile) is a new
			// performance, as in the original.
			if e.ID == uuid.Nil || !known[e.ID] || kept[e.ID] {
				if err := insertEvent(ctx, tx, serieID, e); err != nil {
					return err
				}
				continue
			}
			kept[e.ID] = true
			if _, err := tx.NewRaw(`UPDATE events SET start_at = ?, end_at = ?, updated_at = now()
WHERE id = ? AND (start_at <> ? OR end_at IS DISTINCT FROM ?)`, e.StartAt, e.EndAt, e.ID, e.StartAt, e.EndAt).Exec(ctx); err != nil {
				return err
			}
		}
		for id := range known {
			if !kept[id] {
				if _, err := tx.NewRaw(`DELETE FROM events WHERE id = ?`, id).Exec(ctx); err != nil {
					return err
				}
			}
		}
		if _, err := tx.NewRaw(`UPDATE event_series SET name = ?, updated_at = now() WHERE id = ?`, s.Name, serieID).Exec(ctx); err != nil {
			return err
		}
		return record(ctx, tx, auditUpdated, organizationID, serieID, s.Name, by)
	})
}

// DeleteManual deletes a manual serie without declaration; its performances
// go with it (cascade), places stay (decision D5, docs/decisions.md).
func DeleteManual(ctx context.Context, db bun.IDB, organizationID, serieID uuid.UUID, by audit.Actor) error {
	return db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		stored, err := GetEditable(ctx, tx, organizationID, serieID, ErrNotDeletable)
		if err != nil {
			return err
		}
		if _, err := tx.NewRaw(`DELETE FROM event_series WHERE id = ?`, serieID).Exec(ctx); err != nil {
			return err
		}
		return record(ctx, tx, auditDeleted, organizationID, serieID, stored.Name, by)
	})
}

func record(ctx context.Context, tx bun.Tx, action string, organizationID, serieID uuid.UUID, name string, by audit.Actor) error {
	e := by.Entry(action)
	e.OrganizationID = &organizationID
	e.Details["eventSerieId"], e.Details["name"] = serieID, name
	return audit.Record(ctx, tx, e)
}
