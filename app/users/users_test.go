package users_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/db/dbtest"
	"assistant-declaration/app/users"
)

func TestValidEmail(t *testing.T) {
	t.Parallel()
	for email, ok := range map[string]bool{
		"a@b.fr": true, "Jeanne.Moreau+test@compagnie.example.org": true,
		"": false, "a@b": false, "a b@c.fr": false, "Jeanne <j@b.fr>": false, "@b.fr": false, "a@": false,
		strings.Repeat("a", 250) + "@b.fr": false,
	} {
		if users.ValidEmail(email) != ok {
			t.Errorf("%q: %v", email, !ok)
		}
	}
}

func TestStatusLabelKeys(t *testing.T) {
	t.Parallel()
	for _, s := range []users.Status{users.StatusRegistered, users.StatusConfirmed, users.StatusDisabled} {
		if got, want := s.LabelKey(), "admin.status."+string(s); got != want {
			t.Errorf("%s: LabelKey() = %q, want %q", s, got, want)
		}
	}
}

// TestRegisterOnceByAddress: a second registration of an address, whatever
// its case, creates nothing.
func TestRegisterOnceByAddress(t *testing.T) {
	t.Parallel()
	d, ctx := dbtest.Open(t), context.Background()
	id, err := users.Register(ctx, d, "Camille@example.com", "Camille", "Martin", "")
	if err != nil || id == uuid.Nil {
		t.Fatalf("Register = %v, %v", id, err)
	}
	again, err := users.Register(ctx, d, "camille@EXAMPLE.com", "C", "M", "")
	if err != nil || again != uuid.Nil {
		t.Fatalf("second Register = %v, %v; want uuid.Nil", again, err)
	}
	u, err := users.ByEmail(ctx, d, " camille@example.com ")
	if err != nil || u == nil || u.ID != id || u.Status != users.StatusRegistered || u.PasswordHash != "" {
		t.Fatalf("ByEmail = %+v, %v", u, err)
	}
	if has, err := users.HasPassword(ctx, d, id); err != nil || has {
		t.Fatalf("HasPassword = %v, %v; want false", has, err)
	}
}

// TestTokens: a token is used once; an expired one is told apart from an
// unknown one; the purge deletes the expired only.
func TestTokens(t *testing.T) {
	t.Parallel()
	d, ctx := dbtest.Open(t), context.Background()
	id, err := users.Register(ctx, d, "tokens@example.com", "A", "B", "")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	valid, err := users.CreateToken(ctx, d, users.TokenSignUp, id, now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	expired, err := users.CreateToken(ctx, d, users.TokenSignUp, id, now.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := users.CheckToken(ctx, d, users.TokenResetPassword, valid, now); !errors.Is(err, users.ErrTokenUnknown) {
		t.Errorf("token of another action: %v, want ErrTokenUnknown", err)
	}
	if got, err := users.ConsumeToken(ctx, d, users.TokenSignUp, valid, now); err != nil || got != id {
		t.Fatalf("ConsumeToken = %v, %v", got, err)
	}
	if _, err := users.ConsumeToken(ctx, d, users.TokenSignUp, valid, now); !errors.Is(err, users.ErrTokenUnknown) {
		t.Errorf("second use: %v, want ErrTokenUnknown", err)
	}
	if err := users.CheckToken(ctx, d, users.TokenSignUp, expired, now); !errors.Is(err, users.ErrTokenExpired) {
		t.Errorf("expired token: %v, want ErrTokenExpired", err)
	}
	if n, err := users.PurgeExpiredTokens(ctx, d); err != nil || n != 1 {
		t.Errorf("PurgeExpiredTokens = %d, %v; want 1", n, err)
	}
}
