package declarations

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
)

// Organization is what the form and the organisms' documents need of the
// serie's organization.
type Organization struct {
	ID         uuid.UUID `bun:"id"`
	Name       string    `bun:"name"`
	OfficialID string    `bun:"official_id"`
	SacemID    *string   `bun:"sacem_id"`
	SacdID     *string   `bun:"sacd_id"`
}

// Declaration is everything the form of one serie shows: the serie, its
// performances sorted by start, its organization's ids and its transmissions.
type Declaration struct {
	Organization Organization
	Serie        Serie
	Events       []Event
	State        State
}

// Event returns the performance id of the serie, or nil.
func (d *Declaration) Event(id uuid.UUID) *Event {
	for i := range d.Events {
		if d.Events[i].ID == id {
			return &d.Events[i]
		}
	}
	return nil
}

// ErrSerieNotFound is a serie that does not exist or belongs to another
// organization: both are 404, so existence never leaks.
var ErrSerieNotFound = derrors.New(derrors.ErrNotFound, "declarations.errors.eventSerieNotFound")

// ErrReadOnly is a change to a declaration every chosen organism accepted.
var ErrReadOnly = derrors.New(derrors.ErrConflict, "declarations.errors.transmittedDeclarationCannotBeUpdated")

// Load reads the declaration of serie serieID of organization orgID in one
// statement whatever its performances: the serie with its organization and
// place, its performances and its declaration rows. Inside a transaction,
// forUpdate first locks the serie row, in a statement of its own, so saves of
// one serie run one after the other and each validates against the values
// the previous wrote: a single statement locking the row would read the
// performances as they were before it waited for the lock.
func Load(ctx context.Context, idb bun.IDB, orgID, serieID uuid.UUID, forUpdate bool) (d *Declaration, err error) {
	defer derrors.Wrap(&err, "declarations: load serie %s", serieID)
	if forUpdate {
		var id uuid.UUID
		err := idb.NewRaw(`SELECT s.id FROM event_series AS s JOIN ticketing_systems AS ts ON ts.id = s.ticketing_system_id
WHERE s.id = ? AND ts.organization_id = ? FOR UPDATE OF s`, serieID, orgID).Scan(ctx, &id)
		if db.IsNoRows(err) {
			return nil, ErrSerieNotFound
		}
		if err != nil {
			return nil, err
		}
	}
	d = &Declaration{}
	if err := loadSerie(ctx, idb, d, orgID, serieID, true); err != nil {
		return nil, err
	}
	return d, nil
}

// loadedSerie is a serie as loadSerie reads it: with its performances and
// its declaration rows as JSON when they are asked for.
type loadedSerie struct {
	Serie         `bun:",extend"`
	Events        []byte `bun:"events,scanonly"`
	Transmissions []byte `bun:"transmissions,scanonly"`
}

// loadSerie reads the serie of d, its place and its organization's ids in
// one statement; whole also reads its performances and its declaration rows
// (the state) in that statement.
func loadSerie(ctx context.Context, idb bun.IDB, d *Declaration, orgID, serieID uuid.UUID, whole bool) error {
	row := &loadedSerie{}
	q := idb.NewSelect().Model(row).
		ColumnExpr("serie.*").
		ColumnExpr("ts.organization_id, ts.name AS ticketing_system_name").
		ColumnExpr("o.name AS organization_name, o.official_id AS organization_official_id, o.sacem_id AS organization_sacem_id, o.sacd_id AS organization_sacd_id").
		Relation("Place").Relation("Place.Address").
		Join("JOIN ticketing_systems AS ts ON ts.id = serie.ticketing_system_id").
		Join("JOIN organizations AS o ON o.id = ts.organization_id").
		Where("serie.id = ? AND ts.organization_id = ?", serieID, orgID)
	if whole {
		q = q.ColumnExpr(eventsJSON("serie.id") + " AS events").ColumnExpr(TransmissionsJSON("serie.id") + " AS transmissions")
	}
	if err := q.Scan(ctx); err != nil {
		if db.IsNoRows(err) {
			return ErrSerieNotFound
		}
		return err
	}
	d.Serie = row.Serie
	s := &d.Serie
	d.Organization = Organization{ID: s.OrganizationID, Name: s.OrganizationName, OfficialID: s.OrganizationOfficialID,
		SacemID: s.OrganizationSacemID, SacdID: s.OrganizationSacdID}
	d.State.Chosen = s.ExpectedDeclarationTypes
	if !whole {
		return nil
	}
	d.Events = nil
	if err := json.Unmarshal(row.Events, &d.Events); err != nil {
		return fmt.Errorf("decode the performances: %w", err)
	}
	var err error
	d.State.Transmissions, err = DecodeTransmissions(row.Transmissions)
	return err
}

// placeJSON is the SQL expression of place p (an alias of places) with its
// address a (an alias of addresses) as JSON, NULL without a place.
func placeJSON(p, a string) string {
	return `CASE WHEN ` + p + `.id IS NULL THEN NULL ELSE json_build_object('id', ` + p + `.id, 'organization_id', ` + p + `.organization_id,
  'name', ` + p + `.name, 'address_id', ` + p + `.address_id, 'address', json_build_object('id', ` + a + `.id, 'street', ` + a + `.street,
  'city', ` + a + `.city, 'postal_code', ` + a + `.postal_code, 'country_code', ` + a + `.country_code, 'subdivision', ` + a + `.subdivision)) END`
}

// eventsJSON is the SQL expression of the performances of the serie whose
// id is serie (a column or a placeholder) with their places, sorted by
// start, as the JSON of []Event.
func eventsJSON(serie string) string {
	return `(SELECT coalesce(json_agg(e ORDER BY e.start_at, e.id), '[]') FROM (
  SELECT e.id, e.event_serie_id, e.start_at, e.end_at,
    e.ticketing_revenue_including_taxes, e.ticketing_revenue_excluding_taxes, e.ticketing_revenue_tax_rate_override,
    e.consumptions_revenue_including_taxes, e.consumptions_revenue_excluding_taxes,
    e.catering_revenue_including_taxes, e.catering_revenue_excluding_taxes,
    e.program_sales_revenue_including_taxes, e.program_sales_revenue_excluding_taxes,
    e.other_revenue_including_taxes, e.other_revenue_excluding_taxes, e.free_tickets, e.paid_tickets,
    e.last_manual_ticketing_data_update_at, e.removed_from_ticketing_system_at,
    e.place_override_id, e.place_capacity_override, e.audience_override, ` + placeJSON("p", "a") + ` AS place_override
  FROM events AS e LEFT JOIN places AS p ON p.id = e.place_override_id LEFT JOIN addresses AS a ON a.id = p.address_id
  WHERE e.event_serie_id = ` + serie + `) AS e)`
}

// TransmissionsJSON is the SQL expression of the declaration rows of the
// serie whose id is serie (a column or a placeholder), by organism, as the
// JSON DecodeTransmissions reads: a page reads them within its own
// statement.
func TransmissionsJSON(serie string) string {
	return `(SELECT coalesce(json_agg(json_build_object('type', d.type, 'status', d.status, 'transmitted_at', d.transmitted_at,
    'last_transmission_error', d.last_transmission_error) ORDER BY d.type), '[]')
  FROM event_serie_declarations AS d WHERE d.event_serie_id = ` + serie + `)`
}

// DecodeTransmissions reads the declaration rows TransmissionsJSON wrote.
func DecodeTransmissions(b []byte) ([]Transmission, error) {
	var out []Transmission
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("declarations: decode the declaration rows: %w", err)
	}
	return out, nil
}
