package declarations

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
)

// Change is a line of the history of a declaration (decision D11 in
// docs/decisions.md).
type Change struct {
	bun.BaseModel `bun:"table:declaration_changes,alias:change"`

	ID                uuid.UUID  `bun:"id,pk,type:uuid,default:gen_random_uuid()"`
	EventSerieID      uuid.UUID  `bun:"event_serie_id,type:uuid"`
	EventID           *uuid.UUID `bun:"event_id,type:uuid"`
	Field             string     `bun:"field"`
	OldValue          string     `bun:"old_value"`
	NewValue          string     `bun:"new_value"`
	UserID            *uuid.UUID `bun:"user_id,type:uuid"`
	UserEmail         string     `bun:"user_email"`
	ImpersonatorID    *uuid.UUID `bun:"impersonator_id,type:uuid"`
	ImpersonatorEmail string     `bun:"impersonator_email"`
	CreatedAt         time.Time  `bun:"created_at,nullzero,default:now()"`

	EventStartAt *time.Time `bun:"event_start_at,scanonly"`
}

// RecordChange writes a line of the history of serie serieID: field changed
// from oldValue to newValue, by by (the user acted for, and the admin while
// impersonating). Other packages (attachments) call it for their own changes
// to a declaration, in their transaction.
func RecordChange(ctx context.Context, idb bun.IDB, serieID uuid.UUID, by audit.Actor, field, oldValue, newValue string) error {
	return recordChange(ctx, idb, serieID, nil, by, field, oldValue, newValue, time.Now())
}

func recordChange(ctx context.Context, idb bun.IDB, serieID uuid.UUID, eventID *uuid.UUID, by audit.Actor, field, oldValue, newValue string, at time.Time) (err error) {
	defer derrors.Wrap(&err, "declarations: record change of %s on %s", field, serieID)
	c := &Change{EventSerieID: serieID, EventID: eventID, Field: field, OldValue: oldValue, NewValue: newValue, CreatedAt: at}
	// audit.Actor names the person at the keyboard first; while an admin
	// impersonates, the change is the impersonated user's, made by the admin.
	if by.OnBehalfOf != nil {
		c.UserID, c.UserEmail = by.OnBehalfOf, by.OnBehalfOfEmail
		if by.UserID != uuid.Nil {
			id := by.UserID
			c.ImpersonatorID, c.ImpersonatorEmail = &id, by.Email
		}
	} else if by.UserID != uuid.Nil {
		id := by.UserID
		c.UserID, c.UserEmail = &id, by.Email
	}
	_, err = idb.NewInsert().Model(c).ExcludeColumn("id").Exec(ctx)
	return err
}

// History reads the history of serie serieID, newest first (at most limit lines).
func History(ctx context.Context, idb bun.IDB, serieID uuid.UUID, limit int) (out []Change, err error) {
	defer derrors.Wrap(&err, "declarations: history of %s", serieID)
	err = idb.NewSelect().Model(&out).ColumnExpr("change.*").ColumnExpr("e.start_at AS event_start_at").
		Join("LEFT JOIN events AS e ON e.id = change.event_id").
		Where("change.event_serie_id = ?", serieID).OrderExpr("change.created_at DESC, change.id").Limit(int64(limit)).Scan(ctx)
	return out, err
}
