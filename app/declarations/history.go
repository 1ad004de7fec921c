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

	ID                uuid.UUID  `bun:"id,pk,type:uuid,default:gen_random_uuid()" json:"id"`
	EventSerieID      uuid.UUID  `bun:"event_serie_id,type:uuid" json:"event_serie_id"`
	EventID           *uuid.UUID `bun:"event_id,type:uuid" json:"event_id"`
	Field             string     `bun:"field" json:"field"`
	OldValue          string     `bun:"old_value" json:"old_value"`
	NewValue          string     `bun:"new_value" json:"new_value"`
	UserID            *uuid.UUID `bun:"user_id,type:uuid" json:"user_id"`
	UserEmail         string     `bun:"user_email" json:"user_email"`
	ImpersonatorID    *uuid.UUID `bun:"impersonator_id,type:uuid" json:"impersonator_id"`
	ImpersonatorEmail string     `bun:"impersonator_email" json:"impersonator_email"`
	CreatedAt         time.Time  `bun:"created_at,nullzero,default:now()" json:"created_at"`

	EventStartAt *time.Time `bun:"event_start_at,scanonly" json:"event_start_at"`
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
