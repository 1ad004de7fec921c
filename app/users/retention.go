package users

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// The statements of the retention of unused accounts (decision P14, docs/decisions.md); its rule
// (when to warn, when to delete) is app/accounts' retention.go. Admins are
// never concerned.

// lastActive is when a user was last active, in SQL: their creation when
// they never were.
const lastActive = "coalesce(last_activity_at, created_at)"

// RetentionStep selects the non-admin users one step of the retention rule
// applies to.
type RetentionStep struct {
	// Name is the step, for errors ("warning", "deletion").
	Name string
	// InactiveBefore: last active before this time.
	InactiveBefore time.Time
	// WarnedBefore: warned before this time; the zero time selects the users
	// not warned yet.
	WarnedBefore time.Time
}

func (r RetentionStep) where() (string, []any) {
	if r.WarnedBefore.IsZero() {
		return "NOT is_admin AND retention_warned_at IS NULL AND " + lastActive + " < ?", []any{r.InactiveBefore}
	}
	return "NOT is_admin AND retention_warned_at <= ? AND " + lastActive + " < ?", []any{r.WarnedBefore, r.InactiveBefore}
}

// Due lists at most limit users the step applies to, least recently active
// first.
func (r RetentionStep) Due(ctx context.Context, idb bun.IDB, limit int) (ids []uuid.UUID, err error) {
	defer derrors.Wrap(&err, "users: list due for retention %s", r.Name)
	where, args := r.where()
	err = idb.NewRaw(`SELECT id FROM users WHERE `+where+` ORDER BY `+lastActive+`, id LIMIT ?`, append(args, limit)...).Scan(ctx, &ids)
	return ids, err
}

// MarkWarned marks id warned at now if the step still applies to them (they
// may have come back since Due) and returns them with when they were last
// active; nil when the step no longer applies.
func (r RetentionStep) MarkWarned(ctx context.Context, tx bun.IDB, id uuid.UUID, now time.Time) (_ *User, last time.Time, err error) {
	defer derrors.Wrap(&err, "users: mark %s warned", id)
	where, args := r.where()
	u := &User{ID: id}
	err = tx.NewRaw(`UPDATE users SET retention_warned_at = ? WHERE id = ? AND `+where+`
		RETURNING email, first_name, status, `+lastActive, append([]any{now, id}, args...)...).
		Scan(ctx, &u.Email, &u.FirstName, &u.Status, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, nil
	}
	if err != nil {
		return nil, time.Time{}, err
	}
	return u, last, nil
}

// Lock locks id for the caller's transaction if the step still applies to
// them and returns their email; "" when it no longer applies.
func (r RetentionStep) Lock(ctx context.Context, tx bun.IDB, id uuid.UUID) (email string, err error) {
	defer derrors.Wrap(&err, "users: lock %s for retention %s", id, r.Name)
	where, args := r.where()
	err = tx.NewRaw(`SELECT email FROM users WHERE id = ? AND `+where+` FOR UPDATE`, append([]any{id}, args...)...).Scan(ctx, &email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return email, err
}
