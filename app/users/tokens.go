package users

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/token"
	"assistant-declaration/jobs"
)

// TokenAction is what a single-use email token is for (verification_tokens.action).
type TokenAction string

// The emailed links that carry a token.
const (
	TokenSignUp        TokenAction = "sign_up"
	TokenResetPassword TokenAction = "reset_password"
)

// Why a token cannot be used.
var (
	ErrTokenUnknown = fmt.Errorf("users: unknown or already used token: %w", derrors.ErrNotFound)
	ErrTokenExpired = fmt.Errorf("users: expired token: %w", derrors.ErrInvalid)
)

// CreateToken stores a new single-use token of action for id, valid until
// expiresAt, and returns it (only its hash is stored).
func CreateToken(ctx context.Context, idb bun.IDB, action TokenAction, id uuid.UUID, expiresAt time.Time) (_ string, err error) {
	defer derrors.Wrap(&err, "users: create %s token for %s", action, id)
	t := token.New()
	_, err = idb.NewRaw(`INSERT INTO verification_tokens (token_hash, action, user_id, expires_at) VALUES (?, ?, ?, ?)`,
		token.Hash(t), action, id, expiresAt).Exec(ctx)
	return t, err
}

// ConsumeToken deletes a token of action valid at now and returns its user:
// one statement, so two concurrent uses cannot both succeed. An expired token
// (ErrTokenExpired) is told apart from an unknown or used one (ErrTokenUnknown).
func ConsumeToken(ctx context.Context, idb bun.IDB, action TokenAction, t string, now time.Time) (id uuid.UUID, err error) {
	defer derrors.Wrap(&err, "users: consume a %s token", action)
	hash := token.Hash(t)
	err = idb.NewRaw(`DELETE FROM verification_tokens WHERE token_hash = ? AND action = ? AND expires_at > ? RETURNING user_id`,
		hash, action, now).Scan(ctx, &id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return uuid.Nil, err
	}
	return uuid.Nil, tokenProblem(ctx, idb, action, hash)
}

// CheckToken tells whether a token of action can still be used at now, with
// the errors of ConsumeToken, without using it.
func CheckToken(ctx context.Context, idb bun.IDB, action TokenAction, t string, now time.Time) (err error) {
	defer derrors.Wrap(&err, "users: check a %s token", action)
	if t == "" {
		return ErrTokenUnknown
	}
	var ok bool
	hash := token.Hash(t)
	err = idb.NewRaw(`SELECT EXISTS (SELECT 1 FROM verification_tokens WHERE token_hash = ? AND action = ? AND expires_at > ?)`,
		hash, action, now).Scan(ctx, &ok)
	if err != nil {
		return err
	}
	if ok {
		return nil
	}
	return tokenProblem(ctx, idb, action, hash)
}

// tokenProblem tells why the token of hash cannot be used.
func tokenProblem(ctx context.Context, idb bun.IDB, action TokenAction, hash string) error {
	var expired bool
	err := idb.NewRaw(`SELECT EXISTS (SELECT 1 FROM verification_tokens WHERE token_hash = ? AND action = ?)`, hash, action).
		Scan(ctx, &expired)
	switch {
	case err != nil:
		return fmt.Errorf("users: look up %s token: %w", action, err)
	case expired:
		return ErrTokenExpired
	}
	return ErrTokenUnknown
}

// DeleteTokens deletes every token of action of id: one link used revokes the
// others.
func DeleteTokens(ctx context.Context, idb bun.IDB, id uuid.UUID, action TokenAction) error {
	if _, err := idb.NewRaw(`DELETE FROM verification_tokens WHERE user_id = ? AND action = ?`, id, action).Exec(ctx); err != nil {
		return fmt.Errorf("users: delete %s tokens of %s: %w", action, id, err)
	}
	return nil
}

// PurgeExpiredTokens deletes the tokens past their expiry and returns how many.
func PurgeExpiredTokens(ctx context.Context, idb bun.IDB) (_ int64, err error) {
	defer derrors.Wrap(&err, "users: purge expired tokens")
	res, err := idb.NewRaw(`DELETE FROM verification_tokens WHERE expires_at < now()`).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// PurgeJobs are the purges of this package's tables: purge-expired-tokens,
// hourly at :05, deletes the tokens past their expiry; purge-sign-in-failures,
// hourly at :25, the failed sign-ins of addresses quiet for a day.
func PurgeJobs() []jobs.Purge {
	return []jobs.Purge{
		{Name: "purge-expired-tokens", Cron: "5 * * * *", Delete: PurgeExpiredTokens},
		{Name: "purge-sign-in-failures", Cron: "25 * * * *", Delete: PurgeSignInFailures},
	}
}
