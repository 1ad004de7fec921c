package accounts

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/uptrace/bun"
)

// AdminCommand runs `admin create --email X [--first-name F] [--last-name L]`:
// it makes X a confirmed admin, creating the account with a random password
// (printed once to out) when it does not exist, or giving one to an account
// whose sign-up was never confirmed.
func AdminCommand(ctx context.Context, db bun.IDB, args []string, out io.Writer) error {
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
