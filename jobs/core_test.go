package jobs

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"assistant-declaration/app/db/dbtest"
	"assistant-declaration/app/organizations/orgtest"
)

// count runs a COUNT(*) query.
func count(t *testing.T, idb bun.IDB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := idb.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPurgesDeleteExpiredRowsOnly(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	ctx := context.Background()
	tag := fmt.Sprintf("purge-%d", rand.Int64())
	var userID string
	err := d.NewRaw(`INSERT INTO users (email, first_name, last_name) VALUES (?, 'Ada', 'Lovelace') RETURNING id`,
		tag+"@example.org").Scan(ctx, &userID)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.NewRaw(q, args...).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO sessions (id, user_id, expires_at) VALUES
		(?, ?, now() - interval '1 minute'), (?, NULL, now() - interval '1 day'), (?, ?, now() + interval '1 hour')`,
		tag+"-s-old", userID, tag+"-s-anon", tag+"-s-live", userID)
	exec(`INSERT INTO verification_tokens (token_hash, action, user_id, expires_at) VALUES
		(?, 'sign_up', ?, now() - interval '1 minute'), (?, 'reset_password', ?, now() + interval '1 hour')`,
		tag+"-t-old", userID, tag+"-t-live", userID)
	now := time.Now().Unix()
	exec(`INSERT INTO kv_storage (k, v, e) VALUES (?, '\x00', ?), (?, '\x00', ?), (?, '\x00', 0)`,
		tag+"-kv-old", now-60, tag+"-kv-live", now+3600, tag+"-kv-forever")

	if n, err := PurgeExpiredSessions(ctx, d); err != nil || n < 2 {
		t.Fatalf("PurgeExpiredSessions = %d, %v; want at least 2", n, err)
	}
	if n, err := PurgeExpiredTokens(ctx, d); err != nil || n < 2 {
		t.Fatalf("PurgeExpiredTokens = %d, %v; want at least 2", n, err)
	}

	var left []string
	err = d.NewRaw(`SELECT id FROM sessions WHERE id LIKE ?0
		UNION ALL SELECT token_hash FROM verification_tokens WHERE token_hash LIKE ?0
		UNION ALL SELECT k FROM kv_storage WHERE k LIKE ?0 ORDER BY 1`, tag+"%").Scan(ctx, &left)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{tag + "-kv-forever", tag + "-kv-live", tag + "-s-live", tag + "-t-live"}
	if fmt.Sprint(left) != fmt.Sprint(want) {
		t.Fatalf("rows left = %v, want %v", left, want)
	}
}

func TestPurgeRunsKeepsRecentRuns(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	ctx := context.Background()
	name := jobName(t)
	_, err := d.NewRaw(`INSERT INTO job_runs (job_name, scheduled_at, started_at, status, instance_id) VALUES
		(?0, now() - interval '91 days', now() - interval '91 days', 'success', 'x'),
		(?0, now() - interval '89 days', now() - interval '89 days', 'success', 'x')`, name).Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := PurgeRuns(ctx, d, time.Now().Add(-RunRetention)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, d, `SELECT count(*) FROM job_runs WHERE job_name = ?`, name); n != 1 {
		t.Fatalf("%d runs left, want the 89-day-old one", n)
	}
	if n := count(t, d, `SELECT count(*) FROM job_runs WHERE job_name = ? AND started_at < now() - interval '88 days'`, name); n != 1 {
		t.Fatalf("the run kept is not the 89-day-old one")
	}
}

func TestPurgeSentEmailsKeepsRecentAndUnsentEmails(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	ctx := context.Background()
	tag := fmt.Sprintf("purge-%d", rand.Int64())
	_, err := d.NewRaw(`INSERT INTO email_outbox (to_addresses, subject, text_body, html_body, created_at, sent_at) VALUES
		('{a@example.org}', ?0 || '-old', 'x', '', now() - interval '8 days', now() - interval '8 days'),
		('{a@example.org}', ?0 || '-recent', 'x', '', now() - interval '8 days', now() - interval '6 days'),
		('{a@example.org}', ?0 || '-unsent', 'x', '', now() - interval '30 days', NULL)`, tag).Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := PurgeSentEmails(ctx, d, time.Now().Add(-SentEmailRetention)); err != nil || n < 1 {
		t.Fatalf("PurgeSentEmails = %d, %v; want at least 1", n, err)
	}
	var left []string
	if err := d.NewRaw(`SELECT subject FROM email_outbox WHERE subject LIKE ? ORDER BY 1`, tag+"%").Scan(ctx, &left); err != nil {
		t.Fatal(err)
	}
	if want := []string{tag + "-recent", tag + "-unsent"}; fmt.Sprint(left) != fmt.Sprint(want) {
		t.Fatalf("emails left = %v, want %v", left, want)
	}
}

func TestPurgeExpiredInvitationsKeepsThoseStillListed(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	ctx := context.Background()
	org := orgtest.Insert(t, d, orgtest.Row{Name: "Compagnie des Invitations"}).ID
	_, err := d.NewRaw(`INSERT INTO organization_invitations (organization_id, email, token_hash, expires_at) VALUES
		(?0, 'long-gone@example.org', ?0 || '-old', now() - interval '31 days'),
		(?0, 'recently-expired@example.org', ?0 || '-recent', now() - interval '29 days'),
		(?0, 'pending@example.org', ?0 || '-pending', now() + interval '1 day')`, org).Exec(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := PurgeExpiredInvitations(ctx, d, time.Now().Add(-ExpiredInvitationRetention)); err != nil || n < 1 {
		t.Fatalf("PurgeExpiredInvitations = %d, %v; want at least 1", n, err)
	}
	var left []string
	if err := d.NewRaw(`SELECT email FROM organization_invitations WHERE organization_id = ? ORDER BY 1`, org).Scan(ctx, &left); err != nil {
		t.Fatal(err)
	}
	if want := []string{"pending@example.org", "recently-expired@example.org"}; fmt.Sprint(left) != fmt.Sprint(want) {
		t.Fatalf("invitations left = %v, want %v", left, want)
	}
}

func TestRegisterCore(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	s, err := New(d, "core", nil)
	if err != nil {
		t.Fatal(err)
	}
	must(t, RegisterCore(s, d))
	s.Start()
	defer func() { must(t, s.Shutdown(context.Background())) }()

	want := []string{"sweep-abandoned-runs", "purge-expired-sessions", "purge-expired-tokens", "purge-job-runs", "purge-sent-emails",
		"purge-expired-invitations"}
	if len(s.jobs) != len(want) {
		t.Fatalf("%d jobs registered, want %v", len(s.jobs), want)
	}
	for _, name := range want {
		j, ok := s.jobs[name]
		if !ok {
			t.Fatalf("%s not registered", name)
		}
		if next, err := j.NextRun(); err != nil || next.IsZero() || time.Until(next) > 24*time.Hour {
			t.Errorf("%s next run %s (%v)", name, next, err)
		}
	}
}
