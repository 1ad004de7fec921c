package accounts_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/apptest"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/users"
)

const day = 24 * time.Hour

// retainedUser is an account as the retention job finds it: its last activity
// (nil: never used), creation and warning times are relative to the job's now.
type retainedUser struct {
	lastActive *time.Duration // ago
	createdAgo time.Duration
	warnedAgo  *time.Duration // nil: not warned
	admin      bool
	status     users.Status // confirmed when empty
}

func ago(d time.Duration) *time.Duration { return &d }

// insertRetained writes u with a password (goodPassword) and explicit times.
func insertRetained(t *testing.T, h *apptest.Harness, email string, u retainedUser, now time.Time) uuid.UUID {
	t.Helper()
	hash, err := accounts.HashPassword(goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d *time.Duration) *time.Time {
		if d == nil {
			return nil
		}
		v := now.Add(-*d)
		return &v
	}
	status := u.status
	if status == "" {
		status = users.StatusConfirmed
	}
	var id uuid.UUID
	err = h.DB.QueryRowContext(context.Background(), `INSERT INTO users
		(email, first_name, last_name, status, is_admin, password_hash, last_activity_at, created_at, retention_warned_at)
		VALUES (?, 'Camille', 'Martin', ?, ?, ?, ?, ?, ?) RETURNING id`,
		email, status, u.admin, hash, at(u.lastActive), now.Add(-u.createdAgo), at(u.warnedAgo)).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// warnedAt is the account's retention_warned_at; exists is false once deleted.
func warnedAt(t *testing.T, h *apptest.Harness, id uuid.UUID) (warned *time.Time, exists bool) {
	t.Helper()
	rows, err := h.DB.QueryContext(context.Background(), `SELECT retention_warned_at FROM users WHERE id = ?`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, false
	}
	if err := rows.Scan(&warned); err != nil {
		t.Fatal(err)
	}
	return warned, true
}

// The retention rule (decision P14, docs/decisions.md) over every kind of account: who is warned, who is
// deleted (with its audit entry), and that signing in again cancels a warning.
func TestAccountRetention(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	svc := accounts.NewService(h.DB, h.Config.BaseURL)
	now := time.Now().Truncate(time.Microsecond) // as PostgreSQL stores it
	const years = 365 * day
	tests := []struct {
		name        string
		user        retainedUser
		signInFirst bool // the owner signs in before the job runs
		member      bool // the account belongs to an organization
		wantWarned  bool // a new warning (email and mark) by this run
		wantMarked  bool // a new warning mark without email (nobody could act on it)
		wantDeleted bool
	}{
		{name: "active", user: retainedUser{lastActive: ago(day), createdAgo: 3 * years}},
		{name: "inactive, not yet in the notice period", user: retainedUser{lastActive: ago(699 * day), createdAgo: 3 * years}},
		{name: "inactive, not warned", user: retainedUser{lastActive: ago(701 * day), createdAgo: 3 * years}, wantWarned: true},
		{name: "past the limit but never warned: warned, not deleted",
			user: retainedUser{lastActive: ago(3 * years), createdAgo: 4 * years}, wantWarned: true},
		{name: "inactive, warned 10 days ago",
			user: retainedUser{lastActive: ago(740 * day), createdAgo: 3 * years, warnedAgo: ago(10 * day)}},
		{name: "inactive, warned 31 days ago",
			user: retainedUser{lastActive: ago(740 * day), createdAgo: 3 * years, warnedAgo: ago(31 * day)}, member: true, wantDeleted: true},
		{name: "warned 31 days ago, late, before the limit",
			user: retainedUser{lastActive: ago(720 * day), createdAgo: 3 * years, warnedAgo: ago(31 * day)}},
		{name: "admin inactive", user: retainedUser{lastActive: ago(3 * years), createdAgo: 4 * years, admin: true}},
		{name: "admin inactive, warned before becoming admin",
			user: retainedUser{lastActive: ago(3 * years), createdAgo: 4 * years, warnedAgo: ago(31 * day), admin: true}},
		{name: "never signed in, created 3 years ago", user: retainedUser{createdAgo: 3 * years}, wantWarned: true},
		{name: "never signed in, warned 31 days ago",
			user: retainedUser{createdAgo: 3 * years, warnedAgo: ago(31 * day)}, wantDeleted: true},
		{name: "disabled, inactive: marked without email",
			user: retainedUser{lastActive: ago(3 * years), createdAgo: 4 * years, status: users.StatusDisabled}, wantMarked: true},
		{name: "never confirmed, created 3 years ago: marked without email",
			user: retainedUser{createdAgo: 3 * years, status: users.StatusRegistered}, wantMarked: true},
		{name: "disabled, marked 31 days ago",
			user:        retainedUser{lastActive: ago(3 * years), createdAgo: 4 * years, warnedAgo: ago(31 * day), status: users.StatusDisabled},
			wantDeleted: true},
		{name: "warned, then signed in again",
			user:        retainedUser{lastActive: ago(740 * day), createdAgo: 3 * years, warnedAgo: ago(31 * day)},
			signInFirst: true},
	}
	ids := make([]uuid.UUID, len(tests))
	emails := make([]string, len(tests))
	orgs := make([][]uuid.UUID, len(tests)) // the organizations each account belongs to
	for i, tt := range tests {
		emails[i] = apptest.UniqueEmail("retention")
		ids[i] = insertRetained(t, h, emails[i], tt.user, now)
		if tt.member {
			o := orgtest.Insert(t, h.DB, orgtest.Row{Name: "Compagnie Oubliée", Members: []uuid.UUID{ids[i]}})
			orgs[i] = []uuid.UUID{o.ID}
		}
		if tt.signInFirst {
			if _, err := svc.Authenticate(ctx, emails[i], goodPassword); err != nil {
				t.Fatalf("%s: sign-in: %v", tt.name, err)
			}
			if warned, _ := warnedAt(t, h, ids[i]); warned != nil {
				t.Errorf("%s: signing in kept the warning of %s", tt.name, warned)
			}
		}
	}

	warned, err := accounts.WarnInactiveAccounts(ctx, h.DB, h.Config.BaseURL, now)
	if err != nil {
		t.Fatal(err)
	}
	deleted, err := accounts.DeleteInactiveAccounts(ctx, h.DB, now)
	if err != nil {
		t.Fatal(err)
	}
	wantWarned, wantDeleted := 0, 0
	for _, tt := range tests {
		if tt.wantWarned || tt.wantMarked {
			wantWarned++
		}
		if tt.wantDeleted {
			wantDeleted++
		}
	}
	// At least: other tests of the package may leave old accounts too.
	if warned < wantWarned || deleted < wantDeleted {
		t.Errorf("warned %d, deleted %d; want at least %d and %d", warned, deleted, wantWarned, wantDeleted)
	}

	// Every warning says the same: deletion 30 days from now at the earliest.
	want, err := mail.Compose("x@example.org", mail.AccountDeletionWarning{FirstName: "Camille",
		SignInURL: h.Config.BaseURL + "/auth/sign-in", DeletesAt: now.Add(accounts.DeletionNotice)})
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := countEmails(t, h, emails[i], want.Subject); n != count(tt.wantWarned) {
				t.Errorf("%d warning emails, want %d", n, count(tt.wantWarned))
			}
			warned, exists := warnedAt(t, h, ids[i])
			if exists == tt.wantDeleted {
				t.Fatalf("account exists = %v, want deleted = %v", exists, tt.wantDeleted)
			}
			switch {
			case tt.wantMarked:
				if warned == nil || !warned.Equal(now) {
					t.Errorf("marked at %v, want %v", warned, now)
				}
			case tt.wantWarned:
				if warned == nil || !warned.Equal(now) {
					t.Errorf("warned at %v, want %v", warned, now)
				}
				var text string
				if err := h.DB.QueryRowContext(ctx, `SELECT text_body FROM email_outbox WHERE ? = ANY(to_addresses) AND subject = ?`,
					emails[i], want.Subject).Scan(&text); err != nil || text != want.Text {
					t.Errorf("email text (%v):\n%s\nwant:\n%s", err, text, want.Text)
				}
			case tt.signInFirst && warned != nil:
				t.Errorf("warning %v still set after signing in", warned)
			case exists && tt.user.warnedAgo != nil && !tt.signInFirst && (warned == nil || !warned.Equal(now.Add(-*tt.user.warnedAgo))):
				t.Errorf("earlier warning changed to %v", warned)
			}
			checkRetentionAudit(t, h, ids[i], emails[i], tt.wantDeleted, orgs[i])
		})
	}
}

// checkRetentionAudit asserts the account_deleted entry of a deleted account:
// no actor, the subject, reason inactivity and the organizations it left.
func checkRetentionAudit(t *testing.T, h *apptest.Harness, id uuid.UUID, email string, deleted bool, orgs []uuid.UUID) {
	t.Helper()
	rows, err := h.DB.QueryContext(context.Background(), `SELECT actor_user_id IS NULL AND actor_email IS NULL,
		subject_email, details::text FROM audit_log WHERE action = 'account_deleted' AND subject_user_id = ?`, id)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	entries := 0
	for rows.Next() {
		entries++
		var noActor bool
		var subject, raw string
		if err := rows.Scan(&noActor, &subject, &raw); err != nil {
			t.Fatal(err)
		}
		var details struct {
			Reason        string      `json:"reason"`
			Organizations []uuid.UUID `json:"organizations"`
		}
		if err := json.Unmarshal([]byte(raw), &details); err != nil {
			t.Fatal(err)
		}
		if !noActor || subject != email || details.Reason != "inactivity" {
			t.Errorf("audit entry: no actor %v, subject %q, details %s", noActor, subject, raw)
		}
		if len(details.Organizations) != len(orgs) || (len(orgs) == 1 && details.Organizations[0] != orgs[0]) {
			t.Errorf("organizations left: %v, want %v", details.Organizations, orgs)
		}
	}
	if entries != count(deleted) {
		t.Errorf("%d account_deleted entries, want %d", entries, count(deleted))
	}
}

// count is 1 for an expected event, 0 otherwise.
func count(expected bool) int {
	if expected {
		return 1
	}
	return 0
}

// Any signed-in request (recorded at most once a minute) is activity: it
// cancels a pending warning, so the job does not delete the account.
func TestActivityCancelsTheRetentionWarning(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	now := time.Now()
	email := apptest.UniqueEmail("comeback")
	// Warned 10 days ago: no concurrent run of the job may delete it first.
	id := insertRetained(t, h, email, retainedUser{lastActive: ago(740 * day), createdAgo: 1000 * day, warnedAgo: ago(10 * day)}, now)
	cl := newClient(h)
	cl.StartSession(id, time.Hour)
	if _, err := h.DB.ExecContext(ctx, `UPDATE sessions SET last_seen_at = now() - interval '2 minutes' WHERE user_id = ?`, id); err != nil {
		t.Fatal(err)
	}
	expectStatus(t, cl.Get("/account/settings"), 200)
	if warned, exists := warnedAt(t, h, id); !exists || warned != nil {
		t.Fatalf("after a request: exists %v, warned at %v", exists, warned)
	}
}
