package admin

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/users"
	"assistant-declaration/app/web"
)

// Errors of the disable and enable actions, shown to the admin.
var (
	ErrCannotDisableSelf = derrors.New(derrors.ErrInvalid, "admin.users.cannotDisableSelf")
	ErrAlreadyDisabled   = derrors.New(derrors.ErrConflict, "admin.users.alreadyDisabled")
	ErrNotDisabled       = derrors.New(derrors.ErrConflict, "admin.users.notDisabled")
)

// DisableUser disables a user (decision P7, docs/decisions.md) in one transaction: status, every session
// revoked at once, the "Compte désactivé" email queued, the audit entry. The
// previous status is kept so re-enabling gives it back.
func DisableUser(ctx context.Context, idb bun.IDB, by audit.Actor, userID uuid.UUID) (err error) {
	defer derrors.Wrap(&err, "admin: disable user %s", userID)
	if by.UserID == userID {
		return ErrCannotDisableSelf
	}
	return idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := lockUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Status.Disabled() {
			return ErrAlreadyDisabled
		}
		if err := users.DisableByAdmin(ctx, tx, userID); err != nil {
			return err
		}
		if err := web.RevokeUserSessions(ctx, tx, userID, ""); err != nil {
			return fmt.Errorf("revoke sessions: %w", err)
		}
		if err := mail.Enqueue(ctx, tx, u.Email, mail.AccountDisabled{FirstName: u.FirstName}); err != nil {
			return fmt.Errorf("queue the email: %w", err)
		}
		return recordUserEntry(ctx, tx, userEntry(by, audit.UserDisabled, u))
	})
}

// EnableUser re-enables a disabled user with the status they had before.
func EnableUser(ctx context.Context, idb bun.IDB, by audit.Actor, userID uuid.UUID) (err error) {
	defer derrors.Wrap(&err, "admin: enable user %s", userID)
	return idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := lockUser(ctx, tx, userID)
		if err != nil {
			return err
		}
		if !u.Status.Disabled() {
			return ErrNotDisabled
		}
		if err := users.EnableByAdmin(ctx, tx, userID); err != nil {
			return err
		}
		return recordUserEntry(ctx, tx, userEntry(by, audit.UserEnabled, u))
	})
}

// lockUser loads a user and locks their row for the rest of the transaction,
// so two admins clicking at once do not both send the email.
func lockUser(ctx context.Context, tx bun.Tx, id uuid.UUID) (*UserDetail, error) {
	u := new(UserDetail)
	err := scanOne(ctx, tx.NewSelect().TableExpr("users AS u").ColumnExpr("u.id, u.email, u.first_name, u.last_name, u.status, u.is_admin").
		Where("u.id = ?", id).For("UPDATE"), u)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	return u, nil
}

// userEntry is the audit entry of an admin action on a user.
func userEntry(by audit.Actor, action string, subject *UserDetail) *audit.Entry {
	e := by.Entry(action)
	e.SubjectUserID, e.SubjectEmail = &subject.ID, subject.Email
	return e
}

// recordUserEntry writes the audit entry of an admin action.
func recordUserEntry(ctx context.Context, idb bun.IDB, e *audit.Entry) error {
	if err := audit.Record(ctx, idb, e); err != nil {
		return fmt.Errorf("record %s: %w", e.Action, err)
	}
	return nil
}
