package users

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// emailHashOf is the key of sign_in_failures for the address the SQL
// expression email gives: the SHA-256 of its lower-cased form, computed by
// PostgreSQL so that it matches the users_email_key index's idea of case.
func emailHashOf(email string) string { return `sha256(convert_to(lower(` + email + `), 'UTF8'))` }

// emailHashSQL is emailHashOf the address bound to its placeholder.
var emailHashSQL = emailHashOf("?")

// SignInLock returns until when sign-ins with email are refused, nil when
// they are not. Every address has its count, whether or not an account
// has it, so that the lockout tells nothing about who has an account
// (decision P4, docs/decisions.md).
func SignInLock(ctx context.Context, idb bun.IDB, email string, now time.Time) (_ *time.Time, err error) {
	defer derrors.Wrap(&err, "users: sign-in lock")
	var until []time.Time
	err = idb.NewRaw(`SELECT locked_until FROM sign_in_failures WHERE email_hash = `+emailHashSQL+` AND locked_until > ?`,
		NormalizeEmail(email), now).Scan(ctx, &until)
	if err != nil || len(until) == 0 {
		return nil, err
	}
	return &until[0], nil
}

// RecordSignInFailure counts a failed sign-in with email in one statement
// (concurrent attempts are all counted); the max-th consecutive failure locks
// the address until lockUntil and restarts the count. It returns the lock,
// nil when the address is not locked.
func RecordSignInFailure(ctx context.Context, idb bun.IDB, email string, max int, lockUntil time.Time) (lockedUntil *time.Time, err error) {
	defer derrors.Wrap(&err, "users: record a sign-in failure")
	err = idb.NewRaw(`INSERT INTO sign_in_failures AS f (email_hash, failures, locked_until)
		VALUES (`+emailHashSQL+`, CASE WHEN 1 >= ? THEN 0 ELSE 1 END, CASE WHEN 1 >= ? THEN ?::timestamptz END)
		ON CONFLICT (email_hash) DO UPDATE SET
			locked_until = CASE WHEN f.failures + 1 >= ? THEN ?::timestamptz END,
			failures = CASE WHEN f.failures + 1 >= ? THEN 0 ELSE f.failures + 1 END,
			updated_at = now()
		RETURNING locked_until`,
		NormalizeEmail(email), max, max, lockUntil, max, lockUntil, max).Scan(ctx, &lockedUntil)
	return lockedUntil, err
}

// Unlock forgets the failed sign-ins of id's address and lifts its lock.
func Unlock(ctx context.Context, idb bun.IDB, id uuid.UUID) (err error) {
	defer derrors.Wrap(&err, "users: unlock %s", id)
	_, err = idb.NewRaw(`DELETE FROM sign_in_failures
		WHERE email_hash = (SELECT `+emailHashOf("email")+` FROM users WHERE id = ?)`, id).Exec(ctx)
	return err
}

// PurgeSignInFailures deletes the counts of addresses that have not failed for
// a day and are not locked, and returns how many: failures are consecutive
// ones, and a day without any ends the series.
func PurgeSignInFailures(ctx context.Context, idb bun.IDB) (_ int64, err error) {
	defer derrors.Wrap(&err, "users: purge sign-in failures")
	res, err := idb.NewRaw(`DELETE FROM sign_in_failures
		WHERE updated_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now())`).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
