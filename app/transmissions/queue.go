package transmissions

import (
	"context"
	"strings"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/db"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
)

// FieldTransmission names a transmission and its outcomes in the history of
// the declaration (decision D11 in docs/decisions.md).
const FieldTransmission = "transmission"

// ErrNothingToRetry: the serie was never transmitted, there is nothing to relaunch.
var ErrNothingToRetry = derrors.New(derrors.ErrConflict, "transmissions.errors.nothingToRetry")

// Transmit checks the declaration of serie serieID of organization orgID
// against the required fields of every chosen organism not accepted yet and
// queues its transmission, asked by actor (the declarant: transmission is
// refused while impersonating, decision P9 in docs/decisions.md). A failed
// check queues nothing and comes back as derrors.Fields by form field. While
// a transmission of the serie is active, that one is returned instead
// (created false): the serie row is locked meanwhile, so two requests at once
// queue one transmission.
func Transmit(ctx context.Context, idb bun.IDB, orgID, serieID uuid.UUID, actor audit.Actor) (t *Transmission, created bool, err error) {
	defer derrors.Wrap(&err, "transmissions: transmit serie %s", serieID)
	err = db.RunInTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		d, err := declarations.Load(ctx, tx, orgID, serieID, true)
		if err != nil {
			return err
		}
		var organisms []declarations.Organism
		if t, organisms, err = checked(ctx, tx, d); err != nil || t != nil {
			return err
		}
		t = &Transmission{EventSerieID: serieID, OrganizationID: orgID, Organisms: organisms, Status: StatusPending,
			RequestedBy: &actor.UserID, RequestedByEmail: actor.Email}
		if err := insert(ctx, tx, t, actor); err != nil {
			return err
		}
		created = true
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	return t, created, nil
}

// Retry queues again the transmission of serie serieID to the organisms not
// accepted yet, with the same rules as "Déclarer" (nothing is sent twice),
// on behalf of its last declarant. actor is who relaunches it: when it is
// not the declarant (an admin from the back office), the transmission names
// them and the audit log records it. It returns the transmission queued, or
// the one already active.
func Retry(ctx context.Context, idb bun.IDB, serieID uuid.UUID, actor audit.Actor) (t *Transmission, err error) {
	defer derrors.Wrap(&err, "transmissions: retry serie %s", serieID)
	err = db.RunInTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		last := new(Transmission)
		if err := tx.NewSelect().Model(last).Where("event_serie_id = ?", serieID).OrderExpr("created_at DESC").Limit(1).Scan(ctx); err != nil {
			if db.IsNoRows(err) {
				return ErrNothingToRetry
			}
			return err
		}
		d, err := declarations.Load(ctx, tx, last.OrganizationID, serieID, true)
		if err != nil {
			return err
		}
		var organisms []declarations.Organism
		if t, organisms, err = checked(ctx, tx, d); err != nil || t != nil {
			return err
		}
		t = &Transmission{EventSerieID: serieID, OrganizationID: last.OrganizationID, Organisms: organisms, Status: StatusPending,
			RequestedBy: last.RequestedBy, RequestedByEmail: last.RequestedByEmail}
		if last.RequestedBy == nil || *last.RequestedBy != actor.UserID {
			id := actor.UserID
			t.AdminID, t.AdminEmail = &id, actor.Email
			e := actor.Entry("declaration.transmission.retry")
			e.OrganizationID = &last.OrganizationID
			e.Details["event_serie_id"] = serieID.String()
			if err := audit.Record(ctx, tx, e); err != nil {
				return err
			}
		}
		return insert(ctx, tx, t, actor)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// checked is the serie's active transmission when there is one; otherwise
// the organisms to attempt, once d passed their required fields (or the
// fields that fail, as derrors.Fields).
func checked(ctx context.Context, tx bun.IDB, d *declarations.Declaration) (*Transmission, []declarations.Organism, error) {
	t, err := active(ctx, tx, d.Serie.ID)
	if err != nil || t != nil {
		return t, nil, err
	}
	organisms := d.ToTransmit()
	errs, err := declarations.CheckTransmittable(d, organisms)
	if err != nil {
		return nil, nil, err
	}
	if errs.Any() {
		return nil, nil, errs
	}
	return nil, organisms, nil
}

// insert queues t and writes it into the history of the declaration.
func insert(ctx context.Context, tx bun.IDB, t *Transmission, actor audit.Actor) error {
	if _, err := tx.NewInsert().Model(t).ExcludeColumn("id", "created_at", "updated_at", "started_at", "finished_at").
		Returning("id, created_at, updated_at").Exec(ctx); err != nil {
		return err
	}
	names := make([]string, len(t.Organisms))
	for i, o := range t.Organisms {
		names[i] = string(o)
	}
	return declarations.RecordChange(ctx, tx, t.EventSerieID, actor, FieldTransmission, "", "Demandée : "+strings.Join(names, ", "))
}

// active is the serie's pending, running or waiting transmission, or nil.
func active(ctx context.Context, idb bun.IDB, serieID uuid.UUID) (*Transmission, error) {
	t := new(Transmission)
	err := idb.NewSelect().Model(t).Where("event_serie_id = ? AND status <> ?", serieID, StatusFinished).Scan(ctx)
	if db.IsNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}
