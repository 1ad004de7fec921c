// Package accounts owns the users' accounts: sign-up and email confirmation,
// sign-in with lockout, sign-out, forgotten and changed passwords, profile,
// account deletion, rate limits on the anonymous forms, the welcome dashboard,
// the admin command, demo users, the optional ProConnect sign-in and the
// retention of unused accounts (retention.go).
//
// Domain rules are plain methods of Service (testable without HTTP); the
// Handlers only parse forms, call them and render.
package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/users"
	"assistant-declaration/app/web"
)

// Lifetimes and thresholds of the account rules (decisions P4, P5, docs/decisions.md).
const (
	ConfirmationTokenTTL = 14 * 24 * time.Hour
	ResetTokenTTL        = 60 * time.Minute
	MaxFailedSignIns     = 10
	LockDuration         = 15 * time.Minute
)

// Errors of the account rules. Handlers show most of them next to the form
// (alerts, field errors); as business errors with their kind and message, any
// other caller still gets the right status and text from web's error handler.
var (
	ErrBadCredentials       = derrors.New(derrors.ErrInvalid, "accounts.signIn.noMatch")
	ErrNotConfirmed         = derrors.New(derrors.ErrForbidden, "accounts.signIn.notConfirmed")
	ErrWrongToken           = users.ErrTokenUnknown
	ErrExpiredToken         = users.ErrTokenExpired
	ErrAlreadyConfirmed     = derrors.New(derrors.ErrConflict, "accounts.confirm.already")
	ErrWrongCurrentPassword = derrors.New(derrors.ErrInvalid, "accounts.settings.wrongCurrentPassword")
	ErrInvalidEmail         = derrors.New(derrors.ErrInvalid, "accounts.errors.email")
)

// LockedError refuses a sign-in while the account is locked. JustLocked is
// true for the failure that caused the lock, which is audited.
type LockedError struct {
	Until      time.Time
	JustLocked bool
}

func (e *LockedError) Error() string {
	return "accounts: account locked until " + e.Until.Format(time.RFC3339)
}

// Service applies the account rules on the database.
type Service struct {
	db      bun.IDB
	baseURL string
	now     func() time.Time
}

// NewService returns the account rules over db; baseURL prefixes the links
// sent by email.
func NewService(db bun.IDB, baseURL string) *Service {
	return &Service{db: db, baseURL: strings.TrimRight(baseURL, "/"), now: time.Now}
}

// SetClock replaces the clock (tests of expiries and locks).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// HasPassword reports whether userID can sign in with a password: accounts
// created through ProConnect have none until they reset one.
func (s *Service) HasPassword(ctx context.Context, userID uuid.UUID) (bool, error) {
	return users.HasPassword(ctx, s.db, userID)
}

// CheckResetToken tells whether a reset link can still be used, so the page
// shows the problem before the user types a new password.
func (s *Service) CheckResetToken(ctx context.Context, token string) error {
	return users.CheckToken(ctx, s.db, users.TokenResetPassword, token, s.now())
}

// sendConfirmation creates a confirmation token and enqueues its email.
func (s *Service) sendConfirmation(ctx context.Context, tx bun.IDB, u *users.User) error {
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

func (s *Service) answerExistingSignUp(ctx context.Context, tx bun.IDB, email string) error {
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
// the operator's admin command). A registered account becomes confirmed,
// loses its other confirmation links and joins the organizations that invited
// the address (decision P6, docs/decisions.md); confirmed is false when the account was not registered
// (nothing is done then).
func proveEmail(ctx context.Context, tx bun.IDB, userID uuid.UUID) (confirmed bool, err error) {
	email, confirmed, err := users.Confirm(ctx, tx, userID)
	if err != nil || !confirmed {
		return false, err
	}
	if err := users.DeleteTokens(ctx, tx, userID, users.TokenSignUp); err != nil {
		return false, err
	}
	if _, err = organizations.AcceptPendingInvitations(ctx, tx, userID, email); err != nil {
		return false, fmt.Errorf("accounts: join the organizations that invited %s: %w", userID, err)
	}
	return true, nil
}

// Authenticate checks credentials with the lockout rule (decision P4, docs/decisions.md): while locked,
// the password is not even checked; the MaxFailedSignIns-th consecutive
// failure locks the account for LockDuration; a success resets the count.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*users.User, error) {
	u, err := users.ByEmail(ctx, s.db, email)
	if err != nil {
		return nil, err
	}
	if u == nil {
		CheckPassword(password, "")
		return nil, ErrBadCredentials
	}
	now := s.now()
	if u.LockedUntil != nil && u.LockedUntil.After(now) {
		return u, &LockedError{Until: *u.LockedUntil}
	}
	if !CheckPassword(password, u.PasswordHash) {
		return u, s.recordFailure(ctx, u, now)
	}
	if err := users.Unlock(ctx, s.db, u.ID); err != nil {
		return nil, err
	}
	return s.signedIn(ctx, u)
}

// recordFailure counts a failed password and locks the account on the last
// allowed one.
func (s *Service) recordFailure(ctx context.Context, u *users.User, now time.Time) error {
	lockedUntil, err := users.RecordSignInFailure(ctx, s.db, u.ID, MaxFailedSignIns, now.Add(LockDuration))
	if err != nil {
		return err
	}
	if lockedUntil != nil {
		return &LockedError{Until: *lockedUntil, JustLocked: true}
	}
	return ErrBadCredentials
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

// signedIn ends a successful sign-in: an account that is not confirmed is
// refused (ErrNotConfirmed, with the account for the audit log); a confirmed
// one has its activity recorded and a pending retention warning cancelled,
// since the email promises that signing in keeps the account. The session
// middleware records later activity, but only once a session is a minute
// old, which a quick sign-in may never reach.
func (s *Service) signedIn(ctx context.Context, u *users.User) (*users.User, error) {
	if u.Status != users.StatusConfirmed {
		return u, ErrNotConfirmed
	}
	if err := users.RecordActivity(ctx, s.db, u.ID); err != nil {
		return nil, err
	}
	return u, nil
}

// UpdateProfile changes the names of a user (the email cannot change).
func (s *Service) UpdateProfile(ctx context.Context, userID uuid.UUID, f *ProfileForm) error {
	return users.UpdateNames(ctx, s.db, userID, f.FirstName, f.LastName)
}

// DeleteAccount deletes the actor's own account; their sessions, tokens and
// collaborator links go with them (ON DELETE CASCADE), their organizations
// stay (decision P7, docs/decisions.md). The audit log keeps who it was and which organizations they left.
func (s *Service) DeleteAccount(ctx context.Context, actor audit.Actor) error {
	if actor.OnBehalfOf != nil || actor.UserID == uuid.Nil {
		return errors.New("accounts: an account is deleted by its owner only, never while impersonating")
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return deleteAccount(ctx, tx, actor.Entry(audit.AccountDeleted), actor.UserID, actor.Email)
	})
}

// deleteAccount deletes userID in the caller's transaction after recording e,
// an AccountDeleted entry completed here with the subject and the
// organizations they leave. Sessions, tokens and collaborator links go with
// the user (ON DELETE CASCADE), organizations stay (decision P7, docs/decisions.md). Used by the owner's
// deletion and by the retention job.
func deleteAccount(ctx context.Context, tx bun.IDB, e *audit.Entry, userID uuid.UUID, email string) (err error) {
	defer derrors.Wrap(&err, "accounts: delete %s", userID)
	var orgs []uuid.UUID
	if err := tx.NewRaw(`SELECT organization_id FROM collaborators WHERE user_id = ? ORDER BY organization_id`, userID).
		Scan(ctx, &orgs); err != nil {
		return fmt.Errorf("list organizations: %w", err)
	}
	e.SubjectUserID, e.SubjectEmail = &userID, email
	e.Details["organizations"] = orgs
	if err := audit.Record(ctx, tx, e); err != nil {
		return err
	}
	return users.Delete(ctx, tx, userID)
}

// EnsureAdmin makes email a confirmed admin. A new account is created with
// a random password; an unconfirmed one (registered) gets a random password
// too, since whoever signed up with the address never proved they own it and
// their password must not open an admin account; both passwords are returned
// once to be handed over. A confirmed account keeps its password ("").
func (s *Service) EnsureAdmin(ctx context.Context, email, firstName, lastName string) (password string, err error) {
	email = users.NormalizeEmail(email)
	if !users.ValidEmail(email) {
		return "", fmt.Errorf("%w %q", ErrInvalidEmail, email)
	}
	defer derrors.Wrap(&err, "accounts: make %s an admin", email)
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		u, err := users.LockByEmail(ctx, tx, email)
		if err != nil {
			return err
		}
		if u == nil {
			password = GeneratePassword()
			_, err = createConfirmed(ctx, tx, email, firstName, lastName, password, true)
			return err
		}
		if u.Status == users.StatusRegistered {
			password = GeneratePassword()
			hash, err := HashPassword(password)
			if err != nil {
				return err
			}
			if err := users.SetPassword(ctx, tx, u.ID, hash); err != nil {
				return err
			}
			if err := users.Unlock(ctx, tx, u.ID); err != nil {
				return err
			}
			// The operator vouches for the address.
			if _, err := proveEmail(ctx, tx, u.ID); err != nil {
				return err
			}
		}
		return users.MakeAdmin(ctx, tx, u.ID)
	})
	if err != nil {
		return "", err
	}
	return password, nil
}

// createConfirmed inserts a confirmed account with a password.
func createConfirmed(ctx context.Context, idb bun.IDB, email, firstName, lastName, password string, admin bool) (uuid.UUID, error) {
	hash, err := HashPassword(password)
	if err != nil {
		return uuid.Nil, err
	}
	return users.CreateConfirmed(ctx, idb, email, firstName, lastName, hash, admin)
}

// GeneratePassword returns a random password that satisfies every rule.
func GeneratePassword() string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	// 24 random base64 characters, then one of each class so the rules hold
	// whatever the random part is.
	return base64.RawURLEncoding.EncodeToString(b) + "aZ7!"
}

// DemoUser is a demonstration account with its known password.
type DemoUser struct {
	Email, FirstName, LastName, Password string
	Admin                                bool
}

// DemoUsers are the accounts of dev mode's demonstration data.
var DemoUsers = []DemoUser{
	{Email: "admin@domain.demo", FirstName: "Alice", LastName: "Admin", Password: "Demo-Admin-2026!", Admin: true},
	{Email: "entrepreneur@domain.demo", FirstName: "Étienne", LastName: "Entrepreneur", Password: "Demo-Entrepreneur-2026!"},
}

// SeedDemoUsers creates the missing demonstration accounts (idempotent) and
// returns their ids by email.
func (s *Service) SeedDemoUsers(ctx context.Context) (_ map[string]uuid.UUID, err error) {
	defer derrors.Wrap(&err, "accounts: seed the demonstration users")
	ids := map[string]uuid.UUID{}
	for _, d := range DemoUsers {
		u, err := users.ByEmail(ctx, s.db, d.Email)
		if err != nil {
			return nil, err
		}
		if u != nil {
			ids[d.Email] = u.ID
			continue
		}
		if ids[d.Email], err = createConfirmed(ctx, s.db, d.Email, d.FirstName, d.LastName, d.Password, d.Admin); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// ProConnectIdentity is who ProConnect vouched for.
type ProConnectIdentity struct {
	Subject, Email, FirstName, LastName string
}

// SignInWithProConnect returns the account of a person ProConnect vouched
// for. The account already linked to their subject comes first, whatever its
// address now is at their identity provider. Otherwise the account with the
// same email is linked, or an account without password is created; either
// way the email counts as proved. A disabled account stays refused.
func (s *Service) SignInWithProConnect(ctx context.Context, id ProConnectIdentity) (_ *users.User, err error) {
	email := users.NormalizeEmail(id.Email)
	if !users.ValidEmail(email) {
		return nil, fmt.Errorf("%w from proconnect: %q", ErrInvalidEmail, email)
	}
	if id.Subject == "" {
		return nil, errors.New("accounts: proconnect identity without subject")
	}
	defer derrors.Wrap(&err, "accounts: sign in with proconnect %s", id.Subject)
	var u *users.User
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) (err error) {
		if u, err = users.LockByProConnectSubject(ctx, tx, id.Subject); err != nil || u != nil {
			return err
		}
		// Created registered so that proveEmail below treats it like a linked
		// one; an address already taken keeps its account.
		_, err = users.Register(ctx, tx, email, truncate(id.FirstName, maxNameLength), truncate(id.LastName, maxNameLength), "")
		if err != nil {
			return err
		}
		if u, err = users.LockByEmail(ctx, tx, email); err != nil {
			return err
		}
		if u == nil {
			return fmt.Errorf("users: %q neither registered nor found", email)
		}
		// The latest subject seen for this address: a person whose identity
		// provider changed keeps their account.
		if err := users.LinkProConnect(ctx, tx, u.ID, id.Subject); err != nil {
			return err
		}
		if u.Status != users.StatusRegistered {
			return nil
		}
		// Whoever signed up with this address without confirming it may not be
		// the person ProConnect vouches for: their password must not keep
		// opening the account.
		if err := users.ClearPassword(ctx, tx, u.ID); err != nil {
			return err
		}
		if _, err := proveEmail(ctx, tx, u.ID); err != nil {
			return err
		}
		u.Status = users.StatusConfirmed
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.signedIn(ctx, u)
}
