package series

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/db"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/ticketing"
)

// Limits of the manual form (dates between 2020 and 2050).
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

// Business errors of manual series: conflicts with a translated message.
var (
	ErrNotManual    = derrors.New(derrors.ErrConflict, "series.errors.onlyManual")
	ErrNotUpdatable = derrors.New(derrors.ErrConflict, "series.errors.transmittedDeclarationCannotBeUpdated")
	ErrNotDeletable = derrors.New(derrors.ErrConflict, "series.errors.notDeletable")
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

// ManualEvent is a validated performance; package declarations writes it.
type ManualEvent = declarations.ManualEvent

// ManualSerie is a validated manual serie.
type ManualSerie struct {
	Name   string
	Events []ManualEvent
}

// EventField names the form field of performance i ("events.0.startAt").
func EventField(i int, field string) string { return fmt.Sprintf("events.%d.%s", i, field) }

// Validate checks the form: a name, at least one performance, valid
// dates between 2020 and 2050, and an end after the start.
func (f *Form) Validate() (ManualSerie, derrors.Fields) {
	errs := derrors.Fields{}
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
// with the organization's MANUAL ticketing system when it has none yet. New
// series get the defaults of a serie: tax rate 0.055, zero amounts and
// tickets.
func CreateManual(ctx context.Context, idb bun.IDB, organizationID uuid.UUID, s ManualSerie, by audit.Actor) (id uuid.UUID, err error) {
	defer derrors.Wrap(&err, "series: create manual serie of %s", organizationID)
	id = uuid.New()
	err = db.RunInTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		systemID, err := synchronization.EnsureManualSystem(ctx, tx, organizationID)
		if err != nil {
			return err
		}
		if err := declarations.CreateManualSerie(ctx, tx, systemID, id, s.Name); err != nil {
			return err
		}
		if err := declarations.ReplaceManualEvents(ctx, tx, id, s.Events); err != nil {
			return err
		}
		return record(ctx, tx, auditCreated, organizationID, id, s.Name, by)
	})
	return id, err
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
// changed: derrors.ErrNotFound when it is not the organization's,
// ErrNotManual, or locked when it has a declaration (ErrNotUpdatable or
// ErrNotDeletable, as the caller's action). Inside a transaction, the serie row
// stays locked until it ends so that no declaration starts meanwhile.
func GetEditable(ctx context.Context, idb bun.IDB, organizationID, serieID uuid.UUID, locked *derrors.Message) (_ *Editable, err error) {
	defer derrors.Wrap(&err, "series: load manual serie %s of %s", serieID, organizationID)
	var row struct {
		Name           string           `bun:"name"`
		System         ticketing.System `bun:"system"`
		HasDeclaration bool             `bun:"has_declaration"`
	}
	q := `SELECT s.name, ts.name AS system, ` + declarations.DeclaredSQL("s") + ` AS has_declaration
FROM event_series s JOIN ticketing_systems ts ON ts.id = s.ticketing_system_id
WHERE s.id = ? AND ts.organization_id = ?`
	if _, inTx := idb.(bun.Tx); inTx {
		q += " FOR UPDATE OF s"
	}
	err = idb.NewRaw(q, serieID, organizationID).Scan(ctx, &row)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, derrors.ErrNotFound
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
// are created (zero amounts), missing ones deleted, others get their dates,
// all in one transaction.
func UpdateManual(ctx context.Context, idb bun.IDB, organizationID, serieID uuid.UUID, s ManualSerie, by audit.Actor) (err error) {
	defer derrors.Wrap(&err, "series: update manual serie %s", serieID)
	return db.RunInTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		if _, err := GetEditable(ctx, tx, organizationID, serieID, ErrNotUpdatable); err != nil {
			return err
		}
		if err := declarations.ReplaceManualEvents(ctx, tx, serieID, s.Events); err != nil {
			return err
		}
		if err := declarations.UpdateManualSerie(ctx, tx, serieID, s.Name); err != nil {
			return err
		}
		return record(ctx, tx, auditUpdated, organizationID, serieID, s.Name, by)
	})
}

// DeleteManual deletes a manual serie without declaration; its performances
// go with it, places stay (decision D5 in docs/decisions.md).
func DeleteManual(ctx context.Context, idb bun.IDB, organizationID, serieID uuid.UUID, by audit.Actor) (err error) {
	defer derrors.Wrap(&err, "series: delete manual serie %s", serieID)
	return db.RunInTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		stored, err := GetEditable(ctx, tx, organizationID, serieID, ErrNotDeletable)
		if err != nil {
			return err
		}
		if err := declarations.DeleteManualSerie(ctx, tx, serieID); err != nil {
			return err
		}
		return record(ctx, tx, auditDeleted, organizationID, serieID, stored.Name, by)
	})
}

func record(ctx context.Context, tx bun.Tx, action string, organizationID, serieID uuid.UUID, name string, by audit.Actor) error {
	e := by.Entry(action)
	e.OrganizationID = &organizationID
	e.Details["eventSerieId"], e.Details["name"] = serieID, name
	if err := audit.Record(ctx, tx, e); err != nil {
		return fmt.Errorf("series: audit %s of serie %s: %w", action, serieID, err)
	}
	return nil
}
