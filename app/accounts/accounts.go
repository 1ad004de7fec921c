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
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/web"
)

// User statuses (users.status).
const (
	StatusRegistered = "registered"
	StatusConfirmed  = "confirmed"
	StatusDisabled   = "disabled"
)

// Lifetimes and thresholds of the account rules (decisions P4, P5, docs/decisions.md).
const (
	ConfirmationTokenTTL = 14 * 24 * time.Hour
	ResetTokenTTL        = 60 * time.Minute
	MaxFailedSignIns     = 10
	LockDuration         = 15 * time.Minute
)

// Verification token actions (verification_tokens.action).
const (
	actionSignUp        = "sign_up"
	actionResetPassword = "reset_password"
)

// Account is a users row as this package sees it.
type Account struct {
	bun.BaseModel `bun:"table:users"`

	ID            uuid.UUID  `bun:"id,pk,type:uuid"`
	Email         string     `bun:"email"`
	FirstName     string     `bun:"first_name"`
	LastName      string     `bun:"last_name"`
	Status        string     `bun:"status"`
	IsAdmin       bool       `bun:"is_admin"`
	PasswordHash  string     `bun:"password_hash,nullzero"`
	FailedSignIns int        `bun:"failed_sign_ins"`
	LockedUntil   *time.Time `bun:"locked_until"`
}

// Errors of the account rules; handlers turn them into translated messages.
var (
	ErrBadCredentials       = errors.New("accounts: no account matches these credentials")
	ErrNotConfirmed         = errors.New("accounts: account not confirmed or disabled")
	ErrWrongToken           = errors.New("accounts: unknown or already used token")
	ErrExpiredToken         = errors.New("accounts: expired token")
	ErrAlreadyConfirmed     = errors.New("accounts: account already confirmed")
	ErrWrongCurrentPassword = errors.New("accounts: wrong current password")
	ErrInvalidEmail         = errors.New("accounts: invalid email")
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

// findByEmail returns the account with this email (case-insensitively), or nil.
func findByEmail(ctx context.Context, idb bun.IDB, email string) (*Account, error) {
	a := new(Account)
	err := idb.NewSelect().Model(a).Where("lower(email) = lower(?)", NormalizeEmail(email)).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return a, err
}

// Find returns the account with this id, or nil.
func (s *Service) Find(ctx context.Context, id uuid.UUID) (*Account, error) {
	a := new(Account)
	err := s.db.NewSelect().Model(a).Where("id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return a, err
}

// HasPassword reports whether userID can sign in with a password: accounts
// created through ProConnect have none until they reset one.
func (s *Service) HasPassword(ctx context.Context, userID uuid.UUID) (bool, error) {
	return s.db.NewSelect().Model((*Account)(nil)).Where("id = ? AND password_hash IS NOT NULL", userID).Exists(ctx)
}

// createToken stores a new single-use token for userID and returns it.
func (s *Service) createToken(ctx context.Context, idb bun.IDB, action string, userID uuid.UUID, ttl time.Duration) (string, error) {
	token := web.NewToken()
	_, err := idb.NewRaw(`INSERT INTO verification_tokens (token_hash, action, user_id, expires_at) VALUES (?, ?, ?, ?)`,
		web.HashToken(token), action, userID, s.now().Add(ttl)).Exec(ctx)
	return token, err
}

// consumeToken deletes a valid token and returns its user: one statement, so
// two concurrent uses cannot both succeed. An expired token is told apart
// from an unknown or used one.
func (s *Service) consumeToken(ctx context.Context, idb bun.IDB, action, token string) (uuid.UUID, error) {
	var userID uuid.UUID
	hash := web.HashToken(token)
	err := idb.NewRaw(`DELETE FROM verification_tokens WHERE token_hash = ? AND action = ? AND expires_at > ? RETURNING user_id`,
		hash, action, s.now()).Scan(ctx, &userID)
	if err == nil {
		return userID, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return uuid.Nil, err
	}
	return uuid.Nil, s.tokenProblem(ctx, idb, action, hash)
}

// tokenProblem tells why a token cannot be used.
func (s *Service) tokenProblem(ctx context.Context, idb bun.IDB, action, hash string) error {
	var expired bool
	err := idb.NewRaw(`SELECT EXISTS (SELECT 1 FROM verification_tokens WHERE token_hash = ? AND action = ?)`, hash, action).
		Scan(ctx, &expired)
	switch {
	case err != nil:
		return err
	case expired:
		return ErrExpiredToken
	}
	return ErrWrongToken
}

// CheckResetToken tells whether a reset link can still be used, so the page
// shows the problem before the user types a new password.
func (s *Service) CheckResetToken(ctx context.Context, token string) error {
	if token == "" {
		return ErrWrongToken
	}
	var ok bool
	hash := web.HashToken(token)
	err := s.db.NewRaw(`SELECT EXISTS (SELECT 1 FROM verification_tokens WHERE token_hash = ? AND action = ? AND expires_at > ?)`,
		hash, actionResetPassword, s.now()).Scan(ctx, &ok)
	if err != nil || ok {
		return err
	}
	return s.tokenProblem(ctx, s.db, actionResetPassword, hash)
}

// sendConfirmation creates a confirmation token and enqueues its email.
func (s *Service) sendConfirmation(ctx context.Context, tx bun.IDB, a *Account) error {
	token, err := s.createToken(ctx, tx, actionSignUp, a.ID, ConfirmationTokenTTL)
	if err != nil {
		return err
	}
	return mail.Enqueue(ctx, tx, a.Email, mail.SignUpConfirmation{FirstName: a.FirstName,
		ConfirmURL: s.baseURL + "/auth/sign-in?token=" + token})
}

// SignUp registers a new account and emails its confirmation link. To answer
// the same way whether or not the email is known (decision P2, docs/decisions.md), an existing
// account that is still unconfirmed gets a new confirmation email, a
// confirmed one an email saying it exists and how to get in, a disabled one
// nothing; the caller cannot tell the cases apart.
func (s *Service) SignUp(ctx context.Context, f *SignUpForm) error {
	hash, err := HashPassword(f.Password)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a := &Account{Email: NormalizeEmail(f.Email), FirstName: f.FirstName, LastName: f.LastName, Status: StatusRegistered, PasswordHash: hash}
		// ON CONFLICT on the lower(email) index: two simultaneous sign-ups
		// with one address cannot both create an account.
		err := tx.NewRaw(`INSERT INTO users (email, first_name, last_name, status, password_hash) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT ((lower(email))) DO NOTHING RETURNING id`, a.Email, a.FirstName, a.LastName, a.Status, a.PasswordHash).
			Scan(ctx, &a.ID)
		if errors.Is(err, sql.ErrNoRows) {
			return s.answerExistingSignUp(ctx, tx, f.Email)
		}
		if err != nil {
			return err
		}
		return s.sendConfirmation(ctx, tx, a)
	})
}

func (s *Service) answerExistingSignUp(ctx context.Context, tx bun.IDB, email string) error {
	a, err := findByEmail(ctx, tx, email)
	if err != nil || a == nil {
		return err
	}
	switch a.Status {
	case StatusRegistered:
		return s.sendConfirmation(ctx, tx, a)
	case StatusConfirmed:
		return mail.Enqueue(ctx, tx, a.Email, mail.AccountExists{FirstName: a.FirstName,
			SignInURL: s.baseURL + "/auth/sign-in", ResetURL: s.baseURL + "/auth/password/retrieve"})
	}
	return nil
}

// ResendConfirmation emails a new confirmation link when the email belongs
// to an unconfirmed account, and silently does nothing otherwise (decisions P2, P5, docs/decisions.md).
func (s *Service) ResendConfirmation(ctx context.Context, email string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return s.resendConfirmation(ctx, tx, email)
	})
}

func (s *Service) resendConfirmation(ctx context.Context, tx bun.IDB, email string) error {
	a, err := findByEmail(ctx, tx, email)
	if err != nil || a == nil || a.Status != StatusRegistered {
		return err
	}
	return s.sendConfirmation(ctx, tx, a)
}

// ConfirmSignUp confirms the account of a sign-up token (single use). It does
// not sign the user in: the link may have been opened on another device.
func (s *Service) ConfirmSignUp(ctx context.Context, token string) error {
	if token == "" {
		return ErrWrongToken
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		userID, err := s.consumeToken(ctx, tx, actionSignUp, token)
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
	var email string
	err = tx.NewRaw(`UPDATE users SET status = ?, updated_at = now() WHERE id = ? AND status = ? RETURNING email`,
		StatusConfirmed, userID, StatusRegistered).Scan(ctx, &email)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if _, err := tx.NewRaw(`DELETE FROM verification_tokens WHERE user_id = ? AND action = ?`, userID, actionSignUp).Exec(ctx); err != nil {
		return false, err
	}
	_, err = organizations.AcceptPendingInvitations(ctx, tx, userID, email)
	return true, err
}

// Authenticate checks credentials with the lockout rule (decision P4, docs/decisions.md): while locked,
// the password is not even checked; the MaxFailedSignIns-th consecutive
// failure locks the account for LockDuration; a success resets the count.
func (s *Service) Authenticate(ctx context.Context, email, password string) (*Account, error) {
	a, err := findByEmail(ctx, s.db, email)
	if err != nil {
		return nil, err
	}
	if a == nil {
		CheckPassword(password, "")
		return nil, ErrBadCredentials
	}
	now := s.now()
	if a.LockedUntil != nil && a.LockedUntil.After(now) {
		return a, &LockedError{Until: *a.LockedUntil}
	}
	if !CheckPassword(password, a.PasswordHash) {
		return a, s.recordFailure(ctx, a, now)
	}
	if _, err := s.db.NewRaw(`UPDATE users SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?`, a.ID).Exec(ctx); err != nil {
		return nil, err
	}
	return s.signedIn(ctx, a)
}

// recordFailure counts a failed password in one statement (concurrent
// attempts are all counted) and locks the account on the last allowed one.
func (s *Service) recordFailure(ctx context.Context, a *Account, now time.Time) error {
	var lockedUntil *time.Time
	err := s.db.NewRaw(`UPDATE users SET
			locked_until = CASE WHEN failed_sign_ins + 1 >= ? THEN ?::timestamptz END,
			failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= ? THEN 0 ELSE failed_sign_ins + 1 END
		WHERE id = ? RETURNING locked_until`,
		MaxFailedSignIns, now.Add(LockDuration), MaxFailedSignIns, a.ID).Scan(ctx, &lockedUntil)
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
func (s *Service) RequestPasswordReset(ctx context.Context, email string) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a, err := findByEmail(ctx, tx, email)
		if err != nil || a == nil || a.Status == StatusDisabled {
			return err
		}
		token, err := s.createToken(ctx, tx, actionResetPassword, a.ID, ResetTokenTTL)
		if err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, a.Email, mail.NewPasswordRequest{FirstName: a.FirstName,
			ResetURL: s.baseURL + "/auth/password/reset?token=" + token})
	})
}

// ResetPassword sets a new password with a reset token (single use). The
// link proves the user owns the email, so an unconfirmed account becomes
// confirmed; the lock is lifted, every other reset link and every session is
// revoked, and the "password reset" email links to the plain sign-in page (decision P5, docs/decisions.md).
func (s *Service) ResetPassword(ctx context.Context, token, password string) error {
	if token == "" {
		return ErrWrongToken
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		userID, err := s.consumeToken(ctx, tx, actionResetPassword, token)
		if err != nil {
			return err
		}
		if _, err := proveEmail(ctx, tx, userID); err != nil {
			return err
		}
		a := new(Account)
		err = tx.NewRaw(`UPDATE users SET password_hash = ?, failed_sign_ins = 0, locked_until = NULL, updated_at = now()
			WHERE id = ? RETURNING id, email, first_name`, hash, userID).
			Scan(ctx, &a.ID, &a.Email, &a.FirstName)
		if err != nil {
			return err
		}
		if _, err := tx.NewRaw(`DELETE FROM verification_tokens WHERE user_id = ? AND action = ?`, a.ID, actionResetPassword).Exec(ctx); err != nil {
			return err
		}
		if err := web.RevokeUserSessions(ctx, tx, a.ID, ""); err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, a.Email, mail.PasswordReset{FirstName: a.FirstName, SignInURL: s.baseURL + "/auth/sign-in"})
	})
}

// ChangePassword replaces the password of a signed-in user who proved they
// know the current one; every other session of theirs is revoked (decision P3, docs/decisions.md) and
// they are told by email.
func (s *Service) ChangePassword(ctx context.Context, userID uuid.UUID, current, password, keepSessionID string) error {
	a, err := s.Find(ctx, userID)
	if err != nil {
		return err
	}
	if a == nil {
		return ErrBadCredentials
	}
	if !CheckPassword(current, a.PasswordHash) {
		return ErrWrongCurrentPassword
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewRaw(`UPDATE users SET password_hash = ?, updated_at = now() WHERE id = ?`, hash, a.ID).Exec(ctx); err != nil {
			return err
		}
		if err := web.RevokeUserSessions(ctx, tx, a.ID, keepSessionID); err != nil {
			return err
		}
		return mail.Enqueue(ctx, tx, a.Email, mail.PasswordChanged{FirstName: a.FirstName})
	})
}

// signedIn ends a successful sign-in: an account that is not confirmed is
// refused (ErrNotConfirmed, with the account for the audit log); a confirmed
// one has its activity recorded and a pending retention warning cancelled,
// since the email promises that signing in keeps the account. The session
// middleware records later activity, but only once a session is a minute
// old, which a quick sign-in may never reach.
func (s *Service) signedIn(ctx context.Context, a *Account) (*Account, error) {
	if a.Status != StatusConfirmed {
		return a, ErrNotConfirmed
	}
	_, err := s.db.NewRaw(`UPDATE users SET last_activity_at = now(), retention_warned_at = NULL WHERE id = ?`, a.ID).Exec(ctx)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateProfile changes the names of a user (the email cannot change).
func (s *Service) UpdateProfile(ctx context.Context, userID uuid.UUID, f *ProfileForm) error {
	_, err := s.db.NewRaw(`UPDATE users SET first_name = ?, last_name = ?, updated_at = now() WHERE id = ?`,
		f.FirstName, f.LastName, userID).Exec(ctx)
	return err
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
func deleteAccount(ctx context.Context, tx bun.IDB, e *audit.Entry, userID uuid.UUID, email string) error {
	var orgs []uuid.UUID
	if err := tx.NewRaw(`SELECT organization_id FROM collaborators WHERE user_id = ? ORDER BY organization_id`, userID).
		Scan(ctx, &orgs); err != nil {
		return err
	}
	e.SubjectUserID, e.SubjectEmail = &userID, email
	e.Details["organizations"] = orgs
	if err := audit.Record(ctx, tx, e); err != nil {
		return err
	}
	_, err := tx.NewRaw(`DELETE FROM users WHERE id = ?`, userID).Exec(ctx)
	return err
}

// EnsureAdmin makes email a confirmed admin. A new account is created with
// a random password; an unconfirmed one (registered) gets a random password
// too, since whoever signed up with the address never proved they own it and
// their password must not open an admin account; both passwords are returned
// once to be handed over. A confirmed account keeps its password ("").
func (s *Service) EnsureAdmin(ctx context.Context, email, firstName, lastName string) (password string, err error) {
	email = NormalizeEmail(email)
	if !web.ValidEmail(email) {
		return "", fmt.Errorf("%w %q", ErrInvalidEmail, email)
	}
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		a := new(Account)
		err := tx.NewSelect().Model(a).Where("lower(email) = lower(?)", email).For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			password = GeneratePassword()
			_, err = createConfirmed(ctx, tx, email, firstName, lastName, password, true)
			return err
		}
		if err != nil {
			return err
		}
		if a.Status == StatusRegistered {
			password = GeneratePassword()
			hash, err := HashPassword(password)
			if err != nil {
				return err
			}
			_, err = tx.NewRaw(`UPDATE users SET password_hash = ?, failed_sign_ins = 0, locked_until = NULL WHERE id = ?`,
				hash, a.ID).Exec(ctx)
			if err != nil {
				return err
			}
			// The operator vouches for the address.
			if _, err := proveEmail(ctx, tx, a.ID); err != nil {
				return err
			}
		}
		_, err = tx.NewRaw(`UPDATE users SET is_admin = true, status = ?, updated_at = now() WHERE id = ?`, StatusConfirmed, a.ID).Exec(ctx)
		return err
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
	var id uuid.UUID
	err = idb.NewRaw(`INSERT INTO users (email, first_name, last_name, status, is_admin, password_hash) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		email, firstName, lastName, StatusConfirmed, admin, hash).Scan(ctx, &id)
	return id, err
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
func (s *Service) SeedDemoUsers(ctx context.Context) (map[string]uuid.UUID, error) {
	ids := map[string]uuid.UUID{}
	for _, u := range DemoUsers {
		a, err := findByEmail(ctx, s.db, u.Email)
		if err != nil {
			return nil, err
		}
		if a != nil {
			ids[u.Email] = a.ID
			continue
		}
		if ids[u.Email], err = createConfirmed(ctx, s.db, u.Email, u.FirstName, u.LastName, u.Password, u.Admin); err != nil {
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
func (s *Service) SignInWithProConnect(ctx context.Context, id ProConnectIdentity) (*Account, error) {
	email := NormalizeEmail(id.Email)
	if !web.ValidEmail(email) {
		return nil, fmt.Errorf("%w from proconnect: %q", ErrInvalidEmail, email)
	}
	if id.Subject == "" {
		return nil, errors.New("accounts: proconnect identity without subject")
	}
	a := new(Account)
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		err := tx.NewSelect().Model(a).Where("proconnect_sub = ?", id.Subject).For("UPDATE").Scan(ctx)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// Created registered so that proveEmail below treats it like a linked one.
		_, err = tx.NewRaw(`INSERT INTO users (email, first_name, last_name, status) VALUES (?, ?, ?, ?)
			ON CONFLICT ((lower(email))) DO NOTHING`,
			email, truncate(id.FirstName, maxNameLength), truncate(id.LastName, maxNameLength), StatusRegistered).Exec(ctx)
		if err != nil {
			return err
		}
		if err := tx.NewSelect().Model(a).Where("lower(email) = lower(?)", email).For("UPDATE").Scan(ctx); err != nil {
			return err
		}
		// The latest subject seen for this address: a person whose identity
		// provider changed keeps their account.
		if _, err := tx.NewRaw(`UPDATE users SET proconnect_sub = ? WHERE id = ?`, id.Subject, a.ID).Exec(ctx); err != nil {
			return err
		}
		if a.Status != StatusRegistered {
			return nil
		}
		// Whoever signed up with this address without confirming it may not be
		// the person ProConnect vouches for: their password must not keep
		// opening the account.
		if _, err := tx.NewRaw(`UPDATE users SET password_hash = NULL WHERE id = ?`, a.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := proveEmail(ctx, tx, a.ID); err != nil {
			return err
		}
		a.Status = StatusConfirmed
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.signedIn(ctx, a)
}
