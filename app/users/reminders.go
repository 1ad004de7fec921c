package users

import (
	"context"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// DeadlineReminders reports whether the user gets the declaration deadline
// reminders (app/reminders); they are on until switched off.
func DeadlineReminders(ctx context.Context, idb bun.IDB, id uuid.UUID) (on bool, err error) {
	defer derrors.Wrap(&err, "users: deadline reminders of %s", id)
	err = idb.NewSelect().Model((*User)(nil)).Column("deadline_reminders_enabled").Where("id = ?", id).Scan(ctx, &on)
	return on, err
}

// SetDeadlineReminders switches the user's declaration deadline reminders on
// or off.
func SetDeadlineReminders(ctx context.Context, idb bun.IDB, id uuid.UUID, on bool) (err error) {
	defer derrors.Wrap(&err, "users: set the deadline reminders of %s to %v", id, on)
	_, err = idb.NewUpdate().Model((*User)(nil)).Set("deadline_reminders_enabled = ?", on).
		Set("updated_at = now()").Where("id = ?", id).Exec(ctx)
	return err
}
