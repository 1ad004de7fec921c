package accounts

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"assistant-declaration/app/db/dbtest"
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

	// An existing user is promoted and confirmed, password untouched.
	other := "cli-user-" + strings.ToLower(GeneratePassword()[:8]) + "@example.org"
	if _, err := d.ExecContext(ctx, `INSERT INTO users (email, first_name, last_name) VALUES (?, 'B', 'C')`, other); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := AdminCommand(ctx, d, []string{"create", "--email", other}, &out); err != nil || !strings.Contains(out.String(), "unchanged") {
		t.Fatalf("%v %q", err, out.String())
	}
	var admin bool
	var status string
	_ = d.QueryRowContext(ctx, `SELECT is_admin, status FROM users WHERE email = ?`, other).Scan(&admin, &status)
	if !admin || status != StatusConfirmed {
		t.Fatalf("admin %v status %s", admin, status)
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
