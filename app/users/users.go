// Package users owns the users table, the users' single-use email tokens
// (verification_tokens) and the failed sign-ins counted per address
// (sign_in_failures, lockout.go): the one model of a user (User), its
// statuses, and every statement that writes those tables. The flows built on them (sign-up,
// sign-in, passwords, deletion, retention) live in app/accounts, the back
// office's in app/admin; the HTTP layer (app/web) reads the signed-in user as
// a User and records their activity here. The package has no HTTP dependency.
package users

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// Status is a user's status (users.status).
type Status string

// The statuses of a user: registered until the email is proved, then
// confirmed; disabled by an admin.
const (
	StatusRegistered Status = "registered"
	StatusConfirmed  Status = "confirmed"
	StatusDisabled   Status = "disabled"
)

// LabelKey is the translation key of the status's label.
func (s Status) LabelKey() string { return "admin.status." + string(s) }

// User is a users row.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID           uuid.UUID `bun:"id,pk,type:uuid"`
	Email        string    `bun:"email"`
	FirstName    string    `bun:"first_name"`
	LastName     string    `bun:"last_name"`
	Status       Status    `bun:"status"`
	IsAdmin      bool      `bun:"is_admin"`
	PasswordHash string    `bun:"password_hash,nullzero"`
}

// FullName is "First Last".
func (u *User) FullName() string { return u.FirstName + " " + u.LastName }

// NormalizeEmail trims an email; case is kept as typed (the database compares
// lower(email)), so the user's own spelling shows in emails.
func NormalizeEmail(email string) string { return strings.TrimSpace(email) }

// ValidEmail reports whether email (already trimmed) is a plain address that
// can receive mail: one addr-spec, a dot in the domain, at most 254
// characters (RFC 5321's limit on a path).
func ValidEmail(email string) bool {
	if len(email) > 254 {
		return false
	}
	a, err := netmail.ParseAddress(email)
	return err == nil && a.Address == email && strings.Contains(email[strings.LastIndex(email, "@")+1:], ".")
}

// find returns the user matching where (with args), or nil; forUpdate locks
// the row for the caller's transaction.
func find(ctx context.Context, idb bun.IDB, forUpdate bool, where string, args ...any) (_ *User, err error) {
	defer derrors.Wrap(&err, "users: find %s %v", where, args)
	u := new(User)
	q := idb.NewSelect().Model(u).Where(where, args...)
	if forUpdate {
		q = q.For("UPDATE")
	}
	err = q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ByID returns the user with this id, or nil.
func ByID(ctx context.Context, idb bun.IDB, id uuid.UUID) (_ *User, err error) {
	defer derrors.Wrap(&err, "users: find %s", id)
	return find(ctx, idb, false, "id = ?", id)
}

// ByEmail returns the user with this email (case-insensitively), or nil.
func ByEmail(ctx context.Context, idb bun.IDB, email string) (_ *User, err error) {
	defer derrors.Wrap(&err, "users: find by email")
	return find(ctx, idb, false, "lower(email) = lower(?)", NormalizeEmail(email))
}

// LockByEmail is ByEmail locking the row for the caller's transaction.
func LockByEmail(ctx context.Context, tx bun.IDB, email string) (_ *User, err error) {
	defer derrors.Wrap(&err, "users: lock by email")
	return find(ctx, tx, true, "lower(email) = lower(?)", NormalizeEmail(email))
}

// LockByProConnectSubject returns the user linked to a ProConnect subject,
// or nil, locking the row for the caller's transaction.
func LockByProConnectSubject(ctx context.Context, tx bun.IDB, subject string) (_ *User, err error) {
	defer derrors.Wrap(&err, "users: lock by proconnect subject")
	return find(ctx, tx, true, "proconnect_sub = ?", subject)
}

// HasProConnectSubject reports whether id is linked to ProConnect's subject.
func HasProConnectSubject(ctx context.Context, idb bun.IDB, id uuid.UUID, subject string) (_ bool, err error) {
	defer derrors.Wrap(&err, "users: has proconnect subject %s", id)
	return idb.NewSelect().Model((*User)(nil)).Where("id = ? AND proconnect_sub = ?", id, subject).Exists(ctx)
}

// HasPassword reports whether id can sign in with a password: accounts
// created through ProConnect have none until they reset one.
func HasPassword(ctx context.Context, idb bun.IDB, id uuid.UUID) (_ bool, err error) {
	defer derrors.Wrap(&err, "users: has password %s", id)
	return idb.NewSelect().Model((*User)(nil)).Where("id = ? AND password_hash IS NOT NULL", id).Exists(ctx)
}

// Register inserts a registered user (passwordHash "" for none) and returns
// its id, or uuid.Nil when the address is taken: the insert is ON CONFLICT on
// the lower(email) index, so two simultaneous sign-ups with one address cannot
// both create an account.
func Register(ctx context.Context, idb bun.IDB, email, firstName, lastName, passwordHash string) (id uuid.UUID, err error) {
	defer derrors.Wrap(&err, "users: register")
	var hash any
	if passwordHash != "" {
		hash = passwordHash
	}
	err = idb.NewRaw(`INSERT INTO users (email, first_name, last_name, status, password_hash) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT ((lower(email))) DO NOTHING RETURNING id`, email, firstName, lastName, StatusRegistered, hash).
		Scan(ctx, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return uuid.Nil, nil
	}
	return id, err
}

// CreateConfirmed inserts a confirmed user (admin command, demonstration
// data, test fixtures); an empty passwordHash leaves the account without a
// password.
func CreateConfirmed(ctx context.Context, idb bun.IDB, email, firstName, lastName, passwordHash string, admin bool) (id uuid.UUID, err error) {
	defer derrors.Wrap(&err, "users: create confirmed")
	err = idb.NewRaw(`INSERT INTO users (email, first_name, last_name, status, is_admin, password_hash) VALUES (?, ?, ?, ?, ?, NULLIF(?, '')) RETURNING id`,
		email, firstName, lastName, StatusConfirmed, admin, passwordHash).Scan(ctx, &id)
	return id, err
}

// Confirm makes a registered user confirmed and returns their email;
// confirmed is false (and nothing changes) when the user was not registered.
func Confirm(ctx context.Context, idb bun.IDB, id uuid.UUID) (email string, confirmed bool, err error) {
	defer derrors.Wrap(&err, "users: confirm %s", id)
	err = idb.NewRaw(`UPDATE users SET status = ?, updated_at = now() WHERE id = ? AND status = ? RETURNING email`,
		StatusConfirmed, id, StatusRegistered).Scan(ctx, &email)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return email, true, nil
}

// MakeAdmin makes id a confirmed admin.
func MakeAdmin(ctx context.Context, idb bun.IDB, id uuid.UUID) (err error) {
	defer derrors.Wrap(&err, "users: make %s admin", id)
	return exec(ctx, idb, "make admin", id, `UPDATE users SET is_admin = true, status = ?, updated_at = now() WHERE id = ?`, StatusConfirmed, id)
}

// SetPassword replaces the password hash of id.
func SetPassword(ctx context.Context, idb bun.IDB, id uuid.UUID, passwordHash string) (err error) {
	defer derrors.Wrap(&err, "users: set the password of %s", id)
	return exec(ctx, idb, "set password", id, `UPDATE users SET password_hash = ?, updated_at = now() WHERE id = ?`, passwordHash, id)
}

// ClearPassword removes the password of id: they sign in through ProConnect
// until they reset one.
func ClearPassword(ctx context.Context, idb bun.IDB, id uuid.UUID) (err error) {
	defer derrors.Wrap(&err, "users: clear the password of %s", id)
	return exec(ctx, idb, "clear password", id, `UPDATE users SET password_hash = NULL WHERE id = ?`, id)
}

// LinkProConnect records the ProConnect subject of id.
func LinkProConnect(ctx context.Context, idb bun.IDB, id uuid.UUID, subject string) (err error) {
	defer derrors.Wrap(&err, "users: link %s to ProConnect", id)
	return exec(ctx, idb, "link proconnect", id, `UPDATE users SET proconnect_sub = ? WHERE id = ?`, subject, id)
}

// RecordActivity records that id used the service now, which also cancels a
// pending retention warning (decision P14, docs/decisions.md).
func RecordActivity(ctx context.Context, idb bun.IDB, id uuid.UUID) (err error) {
	defer derrors.Wrap(&err, "users: record the activity of %s", id)
	return exec(ctx, idb, "record activity", id, `UPDATE users SET last_activity_at = now(), retention_warned_at = NULL WHERE id = ?`, id)
}

// UpdateNames changes the names of id (the email cannot change).
func UpdateNames(ctx context.Context, idb bun.IDB, id uuid.UUID, firstName, lastName string) (err error) {
	defer derrors.Wrap(&err, "users: update the names of %s", id)
	return exec(ctx, idb, "update names", id, `UPDATE users SET first_name = ?, last_name = ?, updated_at = now() WHERE id = ?`,
		firstName, lastName, id)
}

// Delete deletes id; their sessions, tokens and collaborator links go with
// them (ON DELETE CASCADE). The caller records the deletion in the audit log.
func Delete(ctx context.Context, idb bun.IDB, id uuid.UUID) (err error) {
	defer derrors.Wrap(&err, "users: delete %s", id)
	return exec(ctx, idb, "delete", id, `DELETE FROM users WHERE id = ?`, id)
}

// exec runs one statement about user id, wrapping its error with what failed.
func exec(ctx context.Context, idb bun.IDB, what string, id uuid.UUID, query string, args ...any) error {
	if _, err := idb.NewRaw(query, args...).Exec(ctx); err != nil {
		return fmt.Errorf("users: %s %s: %w", what, id, err)
	}
	return nil
}
