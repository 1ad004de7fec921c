package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/users"
)

// Retention of unused accounts (decision P14, docs/decisions.md), as the privacy policy states
// it: an account is deleted InactivityLimit after its last activity (its
// creation, when it was never used), and its owner is warned by email
// DeletionNotice before; any activity, signing in included, clears the warning
// and restarts the count. An account is never deleted without having been
// warned at least DeletionNotice earlier, so a warning sent late (a backlog,
// the job stopped for a while) postpones the deletion rather than shortening
// the notice.
//
// Admin accounts are neither warned nor deleted: the operator manages them
// with `admin create`. Only confirmed accounts get the email: a disabled one
// could not sign in to keep the account, and an unconfirmed one's address was
// never proved; they are marked as warned all the same and deleted
// DeletionNotice later.
const (
	InactivityLimit = 730 * 24 * time.Hour
	DeletionNotice  = 30 * 24 * time.Hour
	// RetentionBatch bounds the accounts one run warns, and those it deletes,
	// so a large backlog spreads over several days.
	RetentionBatch = 500
)

// WarnInactiveAccounts emails the owners of the non-admin accounts unused for
// InactivityLimit - DeletionNotice and not warned yet (confirmed accounts; the
// others are only marked), at most RetentionBatch of them, oldest first, and
// returns how many it warned. Each account's
// warning mark and email are written in one transaction. An account that
// cannot be warned (its email fails to render) does not stop the others; its
// error is returned with theirs and it is tried again on the next run.
func WarnInactiveAccounts(ctx context.Context, db bun.IDB, baseURL string, now time.Time) (_ int, err error) {
	defer derrors.Wrap(&err, "accounts: warn inactive accounts")
	signInURL := strings.TrimRight(baseURL, "/") + paths.To.SignIn()
	step := users.RetentionStep{Name: "warning", InactiveBefore: now.Add(-(InactivityLimit - DeletionNotice))}
	return eachDue(ctx, db, step, func(ctx context.Context, tx bun.Tx, id uuid.UUID) (bool, error) {
		u, last, err := step.MarkWarned(ctx, tx, id, now)
		if err != nil || u == nil {
			return false, err
		}
		if u.Status != users.StatusConfirmed {
			return true, nil
		}
		return true, mail.Enqueue(ctx, tx, u.Email, mail.AccountDeletionWarning{FirstName: u.FirstName,
			SignInURL: signInURL, DeletesAt: deletionDate(last, now)})
	})
}

// deletionDate is the earliest time an account last used at lastActive and
// warned at warnedAt can be deleted.
func deletionDate(lastActive, warnedAt time.Time) time.Time {
	due, notice := lastActive.Add(InactivityLimit), warnedAt.Add(DeletionNotice)
	if notice.After(due) {
		return notice
	}
	return due
}

// DeleteInactiveAccounts deletes the non-admin accounts unused for
// InactivityLimit whose owner was warned at least DeletionNotice ago, at most
// RetentionBatch of them, and returns how many it deleted. Each deletion is
// audited (no actor, reason "inactivity") in its own transaction; as with
// WarnInactiveAccounts, one failure does not stop the others.
func DeleteInactiveAccounts(ctx context.Context, db bun.IDB, now time.Time) (_ int, err error) {
	defer derrors.Wrap(&err, "accounts: delete inactive accounts")
	step := users.RetentionStep{Name: "deletion", InactiveBefore: now.Add(-InactivityLimit), WarnedBefore: now.Add(-DeletionNotice)}
	return eachDue(ctx, db, step, func(ctx context.Context, tx bun.Tx, id uuid.UUID) (bool, error) {
		email, err := step.Lock(ctx, tx, id)
		if err != nil || email == "" {
			return false, err
		}
		e := audit.Actor{}.Entry(audit.AccountDeleted)
		e.Details["reason"] = "inactivity"
		return true, deleteAccount(ctx, tx, e, id, email)
	})
}

// eachDue lists at most RetentionBatch accounts due for step, least recently
// active first, and runs act on each in its own transaction. act checks the
// condition again in that transaction (the user may have come back since the
// list was read) and reports whether it acted, which eachDue counts. A
// failure is kept and the next account tried.
func eachDue(ctx context.Context, db bun.IDB, step users.RetentionStep, act func(context.Context, bun.Tx, uuid.UUID) (bool, error)) (int, error) {
	ids, err := step.Due(ctx, db, RetentionBatch)
	if err != nil {
		return 0, fmt.Errorf("accounts: retention %s: %w", step.Name, err)
	}
	n := 0
	var errs []error
	for _, id := range ids {
		if err := ctx.Err(); err != nil {
			return n, errors.Join(append(errs, err)...)
		}
		acted := false
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) (err error) {
			acted, err = act(ctx, tx, id)
			return err
		})
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("accounts: retention %s of %s: %w", step.Name, id, err))
		case acted:
			n++
		}
	}
	return n, errors.Join(errs...)
}
