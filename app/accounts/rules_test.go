package accounts

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/db/dbtest"
)

func TestFailedPasswordRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		password string
		failed   []string
	}{
		{"", []string{RuleLength, RuleCase, RuleDigit, RuleSpecial}},
		{"Correct-Horse-42", nil},
		{"Abcdefghij1!", nil},                 // exactly 12
		{"Abcdefghi1!", []string{RuleLength}}, // 11
		{"correct-horse-42", []string{RuleCase}},
		{"CORRECT-HORSE-42", []string{RuleCase}},
		{"Correct-Horse-xx", []string{RuleDigit}},
		{"CorrectHorse4242", []string{RuleSpecial}},
		{"Élévation çà 42", nil},               // accents are letters, the space is special
		{"Éé1!éééééééé", nil},                  // 12 characters, not 12 bytes
		{"ÉÉÉÉÉÉÉÉÉÉ1!", []string{RuleCase}},   // upper case only
		{"Mot de passe 1", nil},                // spaces count as special
		{"１２３４５６Abcdef!", []string{RuleDigit}}, // only ASCII digits count
	}
	for _, tt := range tests {
		if got := FailedPasswordRules(tt.password); !slices.Equal(got, tt.failed) {
			t.Errorf("%q: %v, want %v", tt.password, got, tt.failed)
		}
	}
}

func TestHashAndCheckPassword(t *testing.T) {
	t.Parallel()
	hash, err := HashPassword("Correct-Horse-42")
	if err != nil || !strings.HasPrefix(hash, "$argon2id$") {
		t.Fatalf("%q %v", hash, err)
	}
	if !CheckPassword("Correct-Horse-42", hash) || CheckPassword("correct-horse-42", hash) || CheckPassword("Correct-Horse-42", "") {
		t.Fatal("wrong comparison")
	}
	if p := GeneratePassword(); len(FailedPasswordRules(p)) != 0 {
		t.Fatalf("generated %q breaks %v", p, FailedPasswordRules(p))
	}
}

func TestLimiterFixedWindow(t *testing.T) {
	t.Parallel()
	l := NewLimiter(dbtest.Open(t))
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	lim := Limit{Name: "test-" + GeneratePassword(), Max: 3, Window: time.Minute}
	ctx := context.Background()
	tests := []struct {
		advance time.Duration
		key     string
		wait    time.Duration
	}{
		{0, "A", 0}, {10 * time.Second, "a", 0}, {0, "A", 0}, // keys are case-insensitive
		{5 * time.Second, "A", 45 * time.Second}, // 4th in the window: wait for its end
		{0, "B", 0},                              // other keys are independent
		{44 * time.Second, "A", time.Second},     // still in the window
		{time.Second, "A", 0},                    // a new window
	}
	for i, tt := range tests {
		now = now.Add(tt.advance)
		wait, err := l.Hit(ctx, lim, tt.key)
		if err != nil || wait != tt.wait {
			t.Fatalf("hit %d: wait %v (%v), want %v", i, wait, err, tt.wait)
		}
	}
}

func TestLockoutUsesTheClock(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	s := NewService(d, "http://localhost")
	now := time.Now()
	s.SetClock(func() time.Time { return now })
	ctx := context.Background()
	email := "clock-" + strings.ToLower(GeneratePassword()[:8]) + "@example.org"
	if _, err := createConfirmed(ctx, d, email, "A", "B", "Correct-Horse-42", false); err != nil {
		t.Fatal(err)
	}
	for range MaxFailedSignIns - 1 {
		if _, err := s.Authenticate(ctx, email, "nope"); !errors.Is(err, ErrBadCredentials) {
			t.Fatal(err)
		}
	}
	_, err := s.Authenticate(ctx, email, "nope")
	var locked *LockedError
	if !errors.As(err, &locked) || !locked.JustLocked || !locked.Until.Equal(now.Add(LockDuration).Truncate(time.Microsecond)) {
		t.Fatalf("%v", err)
	}
	if _, err := s.Authenticate(ctx, email, "Correct-Horse-42"); err == nil {
		t.Fatal("signed in while locked")
	}
	now = now.Add(LockDuration + time.Second)
	if _, err := s.Authenticate(ctx, email, "Correct-Horse-42"); err != nil {
		t.Fatal(err)
	}
}
