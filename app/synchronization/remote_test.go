package synchronization

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/ticketing/ticketingtest"
	"assistant-declaration/config"
)

// billetwebFixture connects the fixture's organization to a Billetweb fake through the real
// connector (the user is listed in DisableTicketingMockForUserIDs), with fast retries.
func billetwebFixture(t *testing.T) (*fixture, *ticketingtest.Billetweb, uuid.UUID) {
	f := newFixture(t)
	fake := ticketingtest.NewBilletweb(t)
	cfg := &config.Config{Mode: config.ModeTest, BilletwebAPIBaseURL: fake.BaseURL, DisableTicketingMockForUserIDs: []uuid.UUID{f.user.ID}}
	f.svc.Connectors = NewConnectorFactory(cfg, ticketing.Config{
		RequestTimeout: 200 * time.Millisecond, RetryBackoff: time.Millisecond, MaxRetryAfter: 50 * time.Millisecond,
		Pacing: map[ticketing.System]ticketing.Pacing{ticketing.Billetweb: {}},
	})
	id := uuid.New()
	sealed, err := f.svc.Sealer.Seal(id, ticketing.Credentials{AccessKey: ticketingtest.BilletwebUser, SecretKey: ticketingtest.BilletwebKey})
	if err != nil {
		t.Fatal(err)
	}
	// The fake's data dates from 2025: widen the first window to reach it.
	f.exec(`INSERT INTO ticketing_systems (id, organization_id, name, credentials, force_next_synchronization_from) VALUES (?, ?, 'BILLETWEB', ?, '2020-01-01')`, id, f.org, sealed)
	return f, fake, id
}

func TestRemoteFailuresAreRecordedAndLoseNothing(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		failure ticketingtest.Failure
		code    ticketing.ErrorCode
		status  int
	}{
		{"timeout", ticketingtest.Failure{Kind: ticketingtest.Slow, Delay: 2 * time.Second}, ticketing.CodeTimeout, 0},
		{"500", ticketingtest.Failure{Kind: ticketingtest.ServerError}, ticketing.CodeServerError, 500},
		{"429 with Retry-After", ticketingtest.Failure{Kind: ticketingtest.RateLimited, RetryAfter: 5 * time.Second}, ticketing.CodeRateLimited, 429},
		{"Cloudflare challenge", ticketingtest.Failure{Kind: ticketingtest.Cloudflare}, ticketing.CodeFirewall, 403},
		{"truncated JSON", ticketingtest.Failure{Kind: ticketingtest.Truncated}, ticketing.CodeMalformedResponse, 200},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, fake, id := billetwebFixture(t)
			f.sync()
			before := f.events()
			if len(before) != 3 {
				t.Fatalf("first synchronization: %d events, want 3", len(before))
			}
			if e := before["101/fallback_101_0"]; !e.Incl.Equal(dec("41")) || e.Paid != 2 {
				t.Errorf("Concert A = %+v", e)
			}
			firstSync := f.system(id).LastSynchronizedAt

			// Re-fetch everything so that the failure hits the whole fetch.
			f.exec(`UPDATE ticketing_systems SET force_next_synchronization_from = '2020-01-01' WHERE id = ?`, id)
			fake.FailWith(tc.failure)
			out := f.sync()

			if ErrorCode(out[0].Err) != string(tc.code) {
				t.Fatalf("code = %q (%v), want %q", ErrorCode(out[0].Err), out[0].Err, tc.code)
			}
			s := f.system(id)
			if s.LastErrorCode == nil || *s.LastErrorCode != string(tc.code) || s.LastErrorAt == nil {
				t.Errorf("recorded error = %+v", s)
			}
			if got := 0; s.LastErrorHTTPStatus != nil {
				got = *s.LastErrorHTTPStatus
				if got != tc.status {
					t.Errorf("recorded status = %d, want %d", got, tc.status)
				}
			} else if tc.status != 0 {
				t.Errorf("no recorded status, want %d", tc.status)
			}
			if s.LastErrorExcerpt == nil || len([]rune(*s.LastErrorExcerpt)) > 300 || bytes.Contains([]byte(*s.LastErrorExcerpt), []byte(ticketingtest.BilletwebKey+"&")) {
				t.Errorf("excerpt = %v", s.LastErrorExcerpt)
			}
			if ErrorKey(*s.LastErrorCode) == errorMessagePrefix+"unknown" {
				t.Errorf("code %q has no translated message", *s.LastErrorCode)
			}
			if !s.LastSynchronizedAt.Equal(*firstSync) || s.ForceNextSynchronizationFrom == nil {
				t.Errorf("failed run moved the cursor: %+v", s)
			}
			if after := f.events(); len(after) != len(before) {
				t.Errorf("events after failure = %d, want %d", len(after), len(before))
			}

			// The next success clears the error (decision T3, docs/decisions.md).
			fake.Recover()
			f.sync()
			if s := f.system(id); s.LastErrorCode != nil || s.LastErrorAt != nil || s.LastErrorExcerpt != nil {
				t.Errorf("error not cleared: %+v", s)
			}
		})
	}
}

func TestCredentialsAreEncryptedAtRest(t *testing.T) {
	t.Parallel()
	f, _, id := billetwebFixture(t)
	var raw []byte
	if err := f.db.NewRaw(`SELECT credentials FROM ticketing_systems WHERE id = ?`, id).Scan(context.Background(), &raw); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(ticketingtest.BilletwebKey)) || bytes.Contains(raw, []byte(ticketingtest.BilletwebUser)) {
		t.Error("credentials stored in clear")
	}
	if _, err := f.svc.Sealer.Open(uuid.New(), raw); err == nil {
		t.Error("sealed credentials opened for another system id")
	}
	again, _ := f.svc.Sealer.Seal(id, ticketing.Credentials{AccessKey: ticketingtest.BilletwebUser, SecretKey: ticketingtest.BilletwebKey})
	if bytes.Equal(again, raw) {
		t.Error("two seals of the same value are identical: the nonce is reused")
	}
}

func TestTwoEnqueuesMakeOneRunThatTheRunnerExecutes(t *testing.T) {
	// Not parallel: a runner claims every pending run of the shared test
	// database, and another test's service (its own fakes and key) must not
	// execute this test's run.
	f, _, id := billetwebFixture(t)
	ctx := context.Background()
	first, created, err := Enqueue(ctx, f.svc.DB, f.org, &f.user.ID, time.Now())
	if err != nil || !created {
		t.Fatal(created, err)
	}
	second, created, err := Enqueue(ctx, f.svc.DB, f.org, &f.user.ID, time.Now())
	if err != nil || created || second.ID != first.ID {
		t.Fatalf("second enqueue: %v %v %v", second, created, err)
	}
	if len(first.Systems) != 1 || first.Systems[0].Status != RunPending {
		t.Errorf("run systems = %+v", first.Systems)
	}
	runner := NewRunner(f.svc, 2)
	defer runner.Shutdown()
	// Other tests' runs may be claimed by this runner too: tick until ours is done.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := runner.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		runner.Wait()
		run, err := GetRun(ctx, f.svc.DB, f.org, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if run.Finished() {
			if run.Status != RunSucceeded || run.Systems[0].Status != RunSucceeded || run.Systems[0].SeriesCount != 2 {
				t.Errorf("run = %+v, systems %+v", run, run.Systems)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("run still %s", run.Status)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if f.system(id).LastSynchronizedAt == nil {
		t.Error("the run did not synchronize")
	}
	// Finished: a new click makes a new run.
	if _, created, err := Enqueue(ctx, f.svc.DB, f.org, &f.user.ID, time.Now()); err != nil || !created {
		t.Errorf("enqueue after the run: %v %v", created, err)
	}
}

func TestNoSystemCannotBeEnqueued(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, _, err := Enqueue(context.Background(), f.svc.DB, f.org, &f.user.ID, time.Now()); !errors.Is(err, ErrNoValidTicketingSystem) {
		t.Errorf("err = %v", err)
	}
}

// In production, a customer domain resolving to one of our own addresses (here 127.0.0.1) is
// refused when dialling; outside production the fakes on 127.0.0.1 stay reachable.
func TestUserTypedHostsCannotReachPrivateAddressesInProduction(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Error(w, `{"success":false}`, http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	for _, tt := range []struct {
		mode config.Mode
		code ticketing.ErrorCode
		hits int32
	}{{config.ModeProd, ticketing.CodeNetwork, 0}, {config.ModeTest, ticketing.CodeUnauthorized, 1}} {
		hits.Store(0)
		user := uuid.New()
		cfg := &config.Config{Mode: tt.mode, SupersoniksAPIURLTemplate: srv.URL + "/{domain}/api/v2",
			DisableTicketingMockForUserIDs: []uuid.UUID{user}}
		conn, err := NewConnectorFactory(cfg, ticketing.Config{MaxRetries: -1})(ticketing.SoTicket,
			ticketing.Credentials{AccessKey: "billetterie.example.com", SecretKey: "token"}, user)
		if err != nil {
			t.Fatal(err)
		}
		err = conn.TestConnection(context.Background())
		if code := ticketing.CodeOf(err); code != tt.code || hits.Load() != tt.hits {
			t.Errorf("%s: %s after %d requests (%v), want %s after %d", tt.mode, code, hits.Load(), err, tt.code, tt.hits)
		}
	}
}
