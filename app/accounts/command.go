package accounts

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/users"
)

// AdminCommand runs `admin create --email X [--first-name F] [--last-name L]`:
// it makes X a confirmed admin, creating the account with a random password
// (printed once to out) when it does not exist, or giving one to an account
// whose sign-up was never confirmed.
func AdminCommand(ctx context.Context, db bun.IDB, args []string, out io.Writer) (err error) {
	defer derrors.Wrap(&err, "accounts: admin command %q", args)
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: admin create --email EMAIL [--first-name NAME] [--last-name NAME]")
	}
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	fs.SetOutput(out)
	email := fs.String("email", "", "email of the admin (required)")
	first := fs.String("first-name", "Admin", "first name of a new account")
	last := fs.String("last-name", "Assistant déclaration", "last name of a new account")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("admin create: --email is required")
	}
	password, err := NewService(db, "").EnsureAdmin(ctx, *email, *first, *last)
	if err != nil {
		return err
	}
	if password == "" {
		_, err = fmt.Fprintf(out, "%s is now a confirmed admin (password unchanged).\n", *email)
		return err
	}
	_, err = fmt.Fprintf(out, "Admin %s ready with a new password (shown once, change it after signing in): %s\n", *email, password)
	return err
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
func createConfirmed(ctx context.Context, idb bun.IDB, email, firstName, lastName, password string, admin bool) (_ uuid.UUID, err error) {
	defer derrors.Wrap(&err, "accounts: create the confirmed account %s", email)
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
