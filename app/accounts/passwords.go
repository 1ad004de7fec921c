package accounts

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/users"
	"assistant-declaration/app/web"
)

// HasPassword reports whether userID can sign in with a password: accounts
// created through ProConnect have none until they reset one.
func (s *Service) HasPassword(ctx context.Context, userID uuid.UUID) (_ bool, err error) {
	defer derrors.Wrap(&err, "accounts: has password %s", userID)
	return users.HasPassword(ctx, s.db, userID)
}

// CheckResetToken tells whether a reset link can still be used, so the page
// shows the problem before the user types a new password.
func (s *Service) CheckResetToken(ctx context.Context, token string) (err error) {
	defer derrors.Wrap(&err, "accounts: check a reset token")
	return users.CheckToken(ctx, s.db, users.TokenResetPassword, token, s.now())
}

// RequestPasswordReset emails a reset link when the email belongs to an
// account that may still use it, and silently does nothing otherwise (decision P2, docs/decisions.md).
// Older links stay valid until they expire or one of them is used.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) (err error) {
	defer derrors.Wrap(&err, "accounts: request a password reset")
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := users.ByEmail(ctx, tx, email)
		if err != nil || u == nil || u.Status == users.StatusDisabled {
			return err
		}
		token, err := users.CreateToken(ctx, tx, users.TokenResetPassword, u.ID, s.now().Add(ResetTokenTTL))
		if err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, u.Email, mail.NewPasswordRequest{FirstName: u.FirstName,
			ResetURL: s.baseURL + paths.To.PasswordReset(token)})
	})
}

// ResetPassword sets a new password with a reset token (single use). The
// link proves the user owns the email, so an unconfirmed account becomes
// confirmed; the lock is lifted, every other reset link and every session is
// revoked, and the "password reset" email links to the plain sign-in page (decision P5, docs/decisions.md).
func (s *Service) ResetPassword(ctx context.Context, token, password string) (err error) {
	if token == "" {
		return ErrWrongToken
	}
	defer derrors.Wrap(&err, "accounts: reset a password")
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		userID, err := users.ConsumeToken(ctx, tx, users.TokenResetPassword, token, s.now())
		if err != nil {
			return err
		}
		if _, err := proveEmail(ctx, tx, userID); err != nil {
			return err
		}
		if err := users.SetPassword(ctx, tx, userID, hash); err != nil {
			return err
		}
		if err := users.Unlock(ctx, tx, userID); err != nil {
			return err
		}
		u, err := users.ByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		if err := users.DeleteTokens(ctx, tx, userID, users.TokenResetPassword); err != nil {
			return err
		}
		if err := web.RevokeUserSessions(ctx, tx, userID, ""); err != nil {
			return fmt.Errorf("accounts: revoke the sessions of %s: %w", userID, err)
		}
		return mail.Enqueue(ctx, tx, u.Email, mail.PasswordReset{FirstName: u.FirstName, SignInURL: s.baseURL + paths.To.SignIn()})
	})
}

// ChangePassword replaces the password of a signed-in user who proved they
// know the current one; every other session of theirs is revoked (decision P3, docs/decisions.md) and
// they are told by email.
func (s *Service) ChangePassword(ctx context.Context, userID uuid.UUID, current, password, keepSessionID string) (err error) {
	defer derrors.Wrap(&err, "accounts: change the password of %s", userID)
	u, err := users.ByID(ctx, s.db, userID)
	if err != nil {
		return err
	}
	if u == nil {
		return ErrBadCredentials
	}
	if !CheckPassword(current, u.PasswordHash) {
		return ErrWrongCurrentPassword
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := users.SetPassword(ctx, tx, u.ID, hash); err != nil {
			return err
		}
		if err := web.RevokeUserSessions(ctx, tx, u.ID, keepSessionID); err != nil {
			return fmt.Errorf("revoke the other sessions: %w", err)
		}
		return mail.Enqueue(ctx, tx, u.Email, mail.PasswordChanged{FirstName: u.FirstName})
	})
}
