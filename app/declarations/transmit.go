package declarations

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// Messages of the checks made before transmitting (§1.5 of the organisms'
// required sets).
var (
	ErrNoOrganismToTransmit = derrors.New(derrors.ErrInvalid, "declarations.errors.atLeastOneDeclarationTypeToTransmit")
	ErrNoEventToTransmit    = derrors.New(derrors.ErrInvalid, "declarations.errors.atLeastOneEventToTransmit")
	ErrNothingToTransmit    = derrors.New(derrors.ErrConflict, "declarations.errors.nothingToTransmit")
)

// Keys of the fields an organism requires at transmission time.
const (
	KeySacemIDRequired       = "declarations.errors.sacemIdRequired"
	KeySacdIDRequired        = "declarations.errors.sacdIdRequired"
	KeyPlaceRequired         = "declarations.errors.placeRequired"
	KeyPerformanceTypeNeeded = "declarations.errors.performanceTypeRequired"
	KeyCapacityRequired      = "declarations.errors.placeCapacityRequired"
)

// ToTransmit are the organisms chosen for the serie and not accepted yet, in
// the order they are attempted: SACD first, it is the likelier to fail
// (decision D2 in docs/decisions.md).
func (d *Declaration) ToTransmit() []Organism {
	var out []Organism
	for _, o := range []Organism{SACD, SACEM} {
		if d.Serie.Chose(o) && !d.State.Accepted(o) {
			out = append(out, o)
		}
	}
	return out
}

// CheckTransmittable checks the stored declaration against the required set
// of every organism of organisms: the form's rules on the stored values, then
// what each organism needs. A failure with no field to point at
// (no organism, no performance) is an error; field problems come back as
// derrors.Fields, by form field name.
func CheckTransmittable(d *Declaration, organisms []Organism) (derrors.Fields, error) {
	if len(d.Serie.ExpectedDeclarationTypes) == 0 {
		return nil, ErrNoOrganismToTransmit
	}
	if len(organisms) == 0 {
		return nil, ErrNothingToTransmit
	}
	if len(d.Events) == 0 {
		return nil, ErrNoEventToTransmit
	}
	v := FormValues(d)
	errs := Validate(d, v)
	need := func(field, key string) {
		if _, set := errs[field]; !set && strings.TrimSpace(v[field]) == "" {
			errs.Add(field, key)
		}
	}
	for _, o := range organisms {
		switch o {
		case SACEM:
			need(FieldSacemID, KeySacemIDRequired)
		case SACD:
			need(FieldSacdID, KeySacdIDRequired)
			need(FieldProducerOfficialID, KeyProducerOfficialIDRequired)
			need(FieldProducerName, KeyProducerNameRequired)
		}
		need(FieldPerformanceType, KeyPerformanceTypeNeeded)
		need(FieldPlaceCapacity, KeyCapacityRequired)
		need(FieldPlaceName, KeyPlaceRequired)
		need(FieldPlaceStreet, KeyStreetRequired)
		need(FieldPlacePostalCode, KeyPostalCodeRequired)
		need(FieldPlaceCity, KeyCityRequired)
	}
	if errs.Any() {
		return errs, nil
	}
	return nil, nil
}

// RecordAccepted marks the declaration of serie serieID accepted by organism
// o at at (status PROCESSED): the organism is never sent it again (decision
// D1 in docs/decisions.md).
func RecordAccepted(ctx context.Context, idb bun.IDB, serieID uuid.UUID, o Organism, at time.Time) (err error) {
	defer derrors.Wrap(&err, "declarations: record %s accepted serie %s", o, serieID)
	_, err = idb.NewRaw(`INSERT INTO event_serie_declarations (event_serie_id, type, status, transmitted_at)
VALUES (?, ?, ?, ?)
ON CONFLICT (event_serie_id, type) DO UPDATE SET status = EXCLUDED.status, transmitted_at = EXCLUDED.transmitted_at,
  last_transmission_error = NULL, last_transmission_error_at = NULL, updated_at = now()`,
		serieID, o, StatusProcessed, at).Exec(ctx)
	return err
}

// RecordFailed records that the last attempt to send serie serieID to
// organism o failed with code (a message key's last segment, such as
// sacemAgencyNotFound): the row stays PENDING, the form editable, and the
// series list shows it "En alerte". An accepted row is left alone.
func RecordFailed(ctx context.Context, idb bun.IDB, serieID uuid.UUID, o Organism, code string, at time.Time) (err error) {
	defer derrors.Wrap(&err, "declarations: record %s failed serie %s", o, serieID)
	_, err = idb.NewRaw(`INSERT INTO event_serie_declarations (event_serie_id, type, status, last_transmission_error, last_transmission_error_at)
VALUES (?, ?, ?, ?, ?)
ON CONFLICT (event_serie_id, type) DO UPDATE SET last_transmission_error = EXCLUDED.last_transmission_error,
  last_transmission_error_at = EXCLUDED.last_transmission_error_at, updated_at = now()
WHERE event_serie_declarations.status <> ?`,
		serieID, o, StatusPending, code, at, StatusProcessed).Exec(ctx)
	return err
}
