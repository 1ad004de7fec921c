package accounts

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"assistant-declaration/app/db/dbtest"
	"assistant-declaration/app/users"
)

func TestAdminCommandCreatesThenPromotes(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	ctx := context.Background()
	email := "cli-" + strings.ToLower(GeneratePassword()[:8]) + "@example.org"

	var out bytes.Buffer
	if err := AdminCommand(ctx, d, []string{"create", "--email", email, "--first-name", "Ada"}, &out); err != nil {
		t.Fatal(err)
	}
	password := out.String()[strings.LastIndex(out.String(), " ")+1:]
	password = strings.TrimSpace(password)
	s := NewService(d, "")
	a, err := s.Authenticate(ctx, strings.ToUpper(email), password)
	if err != nil || !a.IsAdmin || a.FirstName != "Ada" {
		t.Fatalf("%+v %v (output %q)", a, err, out.String())
	}

	// A confirmed user is promoted, password untouched.
	other := "cli-user-" + strings.ToLower(GeneratePassword()[:8]) + "@example.org"
	if _, err := createConfirmed(ctx, d, other, "B", "C", "Correct-Horse-42", false); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := AdminCommand(ctx, d, []string{"create", "--email", other}, &out); err != nil || !strings.Contains(out.String(), "unchanged") {
		t.Fatalf("%v %q", err, out.String())
	}
	if a, err := s.Authenticate(ctx, other, "Correct-Horse-42"); err != nil || !a.IsAdmin {
		t.Fatalf("promoted: %+v %v", a, err)
	}

	// A registered user (whoever signed up never proved the address is
	// theirs) is confirmed with a new password: the sign-up's one fails, and
	// its confirmation links are gone.
	squatted := "cli-registered-" + strings.ToLower(GeneratePassword()[:8]) + "@example.org"
	if err := s.SignUp(ctx, &SignUpForm{FirstName: "D", LastName: "E", Email: squatted, Password: "Squatter-Pass-42", TermsAccepted: true}); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := AdminCommand(ctx, d, []string{"create", "--email", squatted}, &out); err != nil || strings.Contains(out.String(), "unchanged") {
		t.Fatalf("%v %q", err, out.String())
	}
	newPassword := strings.TrimSpace(out.String()[strings.LastIndex(out.String(), " ")+1:])
	if _, err := s.Authenticate(ctx, squatted, "Squatter-Pass-42"); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("the sign-up's password: %v", err)
	}
	if a, err := s.Authenticate(ctx, squatted, newPassword); err != nil || !a.IsAdmin || a.Status != users.StatusConfirmed {
		t.Fatalf("new password %q: %+v %v", newPassword, a, err)
	}
	var tokens int
	if err := d.QueryRowContext(ctx, `SELECT count(*) FROM verification_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = ?`,
		squatted).Scan(&tokens); err != nil || tokens != 0 {
		t.Fatalf("%d confirmation tokens left (%v)", tokens, err)
	}
	for _, args := range [][]string{nil, {"create"}, {"create", "--email", "not-an-email"}} {
		if err := AdminCommand(ctx, d, args, &out); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestSeedDemoUsersIsIdempotent(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	s := NewService(d, "")
	ctx := context.Background()
	first, err := s.SeedDemoUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.SeedDemoUsers(ctx)
	if err != nil || len(second) != len(DemoUsers) {
		t.Fatal(err)
	}
	for _, u := range DemoUsers {
		if first[u.Email] != second[u.Email] {
			t.Fatalf("%s recreated", u.Email)
		}
		a, err := s.Authenticate(ctx, u.Email, u.Password)
		if err != nil || a.IsAdmin != u.Admin {
			t.Fatalf("%s: %v", u.Email, err)
		}
	}
}
