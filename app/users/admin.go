package users

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
)

// DisableByAdmin disables user id (decision P7, docs/decisions.md) in the caller's transaction.
// The previous status is kept so that EnableByAdmin gives it back. Revoking
// the sessions, the email and the audit entry are the caller's.
func DisableByAdmin(ctx context.Context, idb bun.IDB, id uuid.UUID) error {
	_, err := idb.NewUpdate().Table("users").
		Set("status_before_disable = status, status = 'disabled', disabled_at = now(), updated_at = now()").
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("users: disable %s: %w", id, err)
	}
	return nil
}

// EnableByAdmin re-enables user id in the caller's transaction with the
// status they had before being disabled (confirmed when unknown), and lifts
// any sign-in lockout.
func EnableByAdmin(ctx context.Context, idb bun.IDB, id uuid.UUID) error {
	_, err := idb.NewUpdate().Table("users").
		Set("status = coalesce(status_before_disable, 'confirmed'), status_before_disable = NULL, disabled_at = NULL, updated_at = now()").
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("users: enable %s: %w", id, err)
	}
	return Unlock(ctx, idb, id)
}
