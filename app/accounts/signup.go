package accounts

import (
	"context"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/users"
)

// sendConfirmation creates a confirmation token and enqueues its email.
func (s *Service) sendConfirmation(ctx context.Context, tx bun.IDB, u *users.User) (err error) {
	defer derrors.Wrap(&err, "accounts: send the confirmation to %s", u.ID)
	token, err := users.CreateToken(ctx, tx, users.TokenSignUp, u.ID, s.now().Add(ConfirmationTokenTTL))
	if err != nil {
		return err
	}
	return mail.Enqueue(ctx, tx, u.Email, mail.SignUpConfirmation{FirstName: u.FirstName,
		ConfirmURL: s.baseURL + paths.To.SignInWithToken(token)})
}

// SignUp registers a new account and emails its confirmation link. To answer
// the same way whether or not the email is known (decision P2, docs/decisions.md), an existing
// account that is still unconfirmed gets a new confirmation email, a
// confirmed one an email saying it exists and how to get in, a disabled one
// nothing; the caller cannot tell the cases apart.
func (s *Service) SignUp(ctx context.Context, f *SignUpForm) (err error) {
	defer derrors.Wrap(&err, "accounts: sign up")
	hash, err := HashPassword(f.Password)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u := &users.User{Email: users.NormalizeEmail(f.Email), FirstName: f.FirstName, LastName: f.LastName}
		id, err := users.Register(ctx, tx, u.Email, u.FirstName, u.LastName, hash)
		if err != nil {
			return err
		}
		if id == uuid.Nil {
			return s.answerExistingSignUp(ctx, tx, f.Email)
		}
		u.ID = id
		return s.sendConfirmation(ctx, tx, u)
	})
}

func (s *Service) answerExistingSignUp(ctx context.Context, tx bun.IDB, email string) (err error) {
	defer derrors.Wrap(&err, "accounts: answer the sign-up of the existing %q", email)
	u, err := users.ByEmail(ctx, tx, email)
	if err != nil || u == nil {
		return err
	}
	switch u.Status {
	case users.StatusRegistered:
		return s.sendConfirmation(ctx, tx, u)
	case users.StatusConfirmed:
		return mail.Enqueue(ctx, tx, u.Email, mail.AccountExists{FirstName: u.FirstName,
			SignInURL: s.baseURL + paths.To.SignIn(), ResetURL: s.baseURL + paths.To.PasswordRetrieve()})
	}
	return nil
}

// ResendConfirmation emails a new confirmation link when the email belongs
// to an unconfirmed account, and silently does nothing otherwise (decisions P2, P5, docs/decisions.md).
func (s *Service) ResendConfirmation(ctx context.Context, email string) (err error) {
	defer derrors.Wrap(&err, "accounts: resend confirmation")
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := users.ByEmail(ctx, tx, email)
		if err != nil || u == nil || u.Status != users.StatusRegistered {
			return err
		}
		return s.sendConfirmation(ctx, tx, u)
	})
}

// ConfirmSignUp confirms the account of a sign-up token (single use). It does
// not sign the user in: the link may have been opened on another device.
func (s *Service) ConfirmSignUp(ctx context.Context, token string) (err error) {
	if token == "" {
		return ErrWrongToken
	}
	defer derrors.Wrap(&err, "accounts: confirm a sign-up")
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		userID, err := users.ConsumeToken(ctx, tx, users.TokenSignUp, token, s.now())
		if err != nil {
			return err
		}
		confirmed, err := proveEmail(ctx, tx, userID)
		if err == nil && !confirmed {
			// Confirmed already, or disabled since: nothing to do either way.
			return ErrAlreadyConfirmed
		}
		return err
	})
}

// proveEmail is called, in the caller's transaction, once userID has proved
// they own their address (their confirmation link, a reset link, ProConnect,
// the operator's admin command). A registered account becomes confirmed and
// loses its other confirmation links; it joins no organization that invited
// the address: the person accepts each invitation themselves, from its link
// or their dashboard (decision P16, docs/decisions.md). confirmed is false
// when the account was not registered (nothing is done then).
func proveEmail(ctx context.Context, tx bun.IDB, userID uuid.UUID) (confirmed bool, err error) {
	defer derrors.Wrap(&err, "accounts: prove the email of %s", userID)
	_, confirmed, err = users.Confirm(ctx, tx, userID)
	if err != nil || !confirmed {
		return false, err
	}
	if err := users.DeleteTokens(ctx, tx, userID, users.TokenSignUp); err != nil {
		return false, err
	}
	return true, nil
}
