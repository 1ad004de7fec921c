package ticketing

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/ticketing/ticketingtest"
)

func billetwebConnector(t *testing.T, fake *ticketingtest.Billetweb, cfg Config) Connector {
	cfg.BilletwebBaseURL = fake.BaseURL
	return mustNew(t, Billetweb, Credentials{AccessKey: ticketingtest.BilletwebUser, SecretKey: ticketingtest.BilletwebKey}, cfg)
}

func TestBilletwebFetchSeries(t *testing.T) {
	fake := ticketingtest.NewBilletweb(t)
	conn := billetwebConnector(t, fake, testConfig())
	got, err := conn.FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	assertSeries(t, got, []Serie{
		{RemoteID: "101", Name: "Concert A", Events: []Event{
			ev("fallback_101_0", "2025-03-01T19:30:00Z", ptrUTC("2025-03-01T21:30:00Z"), "41.00", "38.86", "0.055", 1, 2),
		}},
		{RemoteID: "102", Name: "Festival B", Events: []Event{
			ev("9001", "2025-04-10T16:00:00Z", ptrUTC("2025-04-10T21:00:00Z"), "15.00", "12.50", "0.055", 0, 1),
			ev("9002", "2025-04-11T16:00:00Z", ptrUTC("2025-04-11T21:00:00Z"), "0", "0", "0.055", 0, 0),
		}},
	})

	b1 := fake.RequestsTo("/api/attendees")
	if len(b1) != 1 {
		t.Fatalf("B1 called %d times", len(b1))
	}
	if raw := b1[0].RawQuery; raw != "user=U1&key=K1&version=1&last_update=1735689600" {
		t.Errorf("B1 query = %q, want authentication first then last_update", raw)
	}
	if n := len(fake.RequestsTo("/api/event/103/dates")); n != 0 {
		t.Errorf("event 103 has no change and was requested %d times", n)
	}
	for _, path := range []string{"/api/events", "/api/event/101/dates", "/api/event/102/dates"} {
		reqs := fake.RequestsTo(path)
		if len(reqs) != 1 || reqs[0].Query.Get("past") != "1" {
			t.Errorf("%s requests = %+v, want one with past=1", path, reqs)
		}
	}
}

func TestBilletwebEdgeCases(t *testing.T) {
	from := utc("2025-01-01T00:00:00Z")
	tests := []struct {
		name   string
		setup  func(*ticketingtest.Billetweb)
		code   ErrorCode
		series int
	}{
		{"nothing changed", func(b *ticketingtest.Billetweb) {
			b.SetAttendees("101", nil)
			b.SetAttendees("102", nil)
		}, "", 0},
		{"zero dates skip the event", func(b *ticketingtest.Billetweb) {
			b.SetEvents(ticketingtest.ObjectsJSON(`[{"id":"101","name":"Concert A","start":"0000-00-00 00:00:00","end":"0000-00-00 00:00:00","multiple":"0","tax_rate":"5.5"},
 {"id":"102","name":"Festival B","start":"2025-04-10 18:00:00","end":"2025-04-11 23:00:00","multiple":1,"tax_rate":5.5}]`))
		}, "", 1},
		{"event missing from /events", func(b *ticketingtest.Billetweb) {
			b.SetEvents(ticketingtest.ObjectsJSON(`[{"id":"102","name":"Festival B","start":"2025-04-10 18:00:00","end":"2025-04-11 23:00:00","multiple":"1","tax_rate":"5.5"}]`))
		}, CodeInconsistentData, 0},
		{"single event with sessions", func(b *ticketingtest.Billetweb) {
			b.SetDates("101", ticketingtest.ObjectsJSON(`[{"id":"1","start":"2025-04-10 18:00:00","end":"2025-04-10 23:00:00"}]`))
		}, CodeInconsistentData, 0},
		{"unknown session", func(b *ticketingtest.Billetweb) {
			b.SetAttendees("102", ticketingtest.ObjectsJSON(`[{"ticket_id":"6001","price":"15","disabled":"0","order_payment_type":"cash","order_session":"42","last_update":"2025-02-01 10:00:00"}]`))
		}, CodeInconsistentData, 0},
		{"unknown category", func(b *ticketingtest.Billetweb) {
			b.SetAttendees("102", ticketingtest.ObjectsJSON(`[{"ticket_id":"777","price":"15","disabled":"0","order_payment_type":"cash","order_session":"9001","last_update":"2025-02-01 10:00:00"}]`))
		}, CodeInconsistentData, 0},
		{"bool-ish refused", func(b *ticketingtest.Billetweb) {
			b.SetEvents(ticketingtest.ObjectsJSON(`[{"id":"101","name":"A","start":"2025-03-01 20:30:00","end":"2025-03-01 22:30:00","multiple":"yes","tax_rate":"5.5"}]`))
		}, CodeMalformedResponse, 0},
		{"ticket price as string refused", func(b *ticketingtest.Billetweb) {
			b.SetTickets("101", ticketingtest.ObjectsJSON(`[{"id":"5001","name":"Plein tarif","price":"21","description":"","tax":"","commission":1}]`))
		}, CodeMalformedResponse, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := ticketingtest.NewBilletweb(t)
			tt.setup(fake)
			got, err := billetwebConnector(t, fake, testConfig()).FetchSeries(context.Background(), from, time.Time{})
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.series {
				t.Fatalf("got %d series, want %d: %+v", len(got), tt.series, got)
			}
		})
	}
}

// A pre-2018 event (no dates) is skipped before any of its own requests.
func TestBilletwebEventWithoutDatesCostsNoRequest(t *testing.T) {
	fake := ticketingtest.NewBilletweb(t)
	fake.SetEvents(ticketingtest.ObjectsJSON(`[{"id":"101","name":"Concert A","start":"0000-00-00 00:00:00","end":"0000-00-00 00:00:00","multiple":"0","tax_rate":"5.5"},
 {"id":"102","name":"Festival B","start":"2025-04-10 18:00:00","end":"2025-04-11 23:00:00","multiple":1,"tax_rate":5.5}]`))
	if _, err := billetwebConnector(t, fake, testConfig()).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.RequestsTo("/api/event/101/dates")); n != 0 {
		t.Errorf("the event without dates was requested %d times", n)
	}
}

func TestBilletwebCommissionOnlyOnWeb(t *testing.T) {
	fake := ticketingtest.NewBilletweb(t)
	// A web ticket cheaper than the commission is clamped to 0, hence free.
	fake.SetAttendees("101", ticketingtest.ObjectsJSON(`[
 {"ticket_id":"5001","price":"0.50","disabled":"0","order_payment_type":"web","order_session":"0","last_update":"2025-02-01 10:00:00"},
 {"ticket_id":"5001","price":"21.00","disabled":"0","order_payment_type":"card","order_session":"0","last_update":"2025-02-01 10:00:00"}]`))
	fake.SetAttendees("102", nil)
	got, err := billetwebConnector(t, fake, testConfig()).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	assertSeries(t, got, []Serie{{RemoteID: "101", Name: "Concert A", Events: []Event{
		ev("fallback_101_0", "2025-03-01T19:30:00Z", ptrUTC("2025-03-01T21:30:00Z"), "21.00", "19.91", "0.055", 1, 1),
	}}})
}

func TestBilletwebFailures(t *testing.T) {
	tests := []struct {
		name    string
		failure ticketingtest.Failure
		code    ErrorCode
		status  int
		calls   int // requests to /api/attendees
	}{
		{"cloudflare challenge", ticketingtest.Failure{Kind: ticketingtest.Cloudflare}, CodeFirewall, http.StatusForbidden, 1},
		{"rate limiting body", ticketingtest.Failure{Kind: ticketingtest.RateLimited, Body: ticketingtest.BilletwebRateLimitBody}, CodeFirewall, http.StatusTooManyRequests, 1},
		{"restricted key", ticketingtest.Failure{Kind: ticketingtest.Status, Status: 200, Body: ticketingtest.BilletwebRestrictedBody}, CodeRestrictedKey, http.StatusOK, 1},
		{"server error retried", ticketingtest.Failure{Kind: ticketingtest.ServerError}, CodeServerError, http.StatusInternalServerError, 3},
		{"server error recovers", ticketingtest.Failure{Kind: ticketingtest.ServerError, Count: 2}, "", 0, 3},
		{"timeout", ticketingtest.Failure{Kind: ticketingtest.Slow, Delay: time.Second}, CodeTimeout, 0, 3},
		{"truncated", ticketingtest.Failure{Kind: ticketingtest.Truncated}, CodeMalformedResponse, http.StatusOK, 1},
		{"unauthorized", ticketingtest.Failure{Kind: ticketingtest.Unauthorized}, CodeUnauthorized, http.StatusUnauthorized, 1},
		{"429 retried after Retry-After", ticketingtest.Failure{Kind: ticketingtest.RateLimited, RetryAfter: time.Second, Count: 1}, "", 0, 2},
		{"429 beyond the bound", ticketingtest.Failure{Kind: ticketingtest.RateLimited, RetryAfter: time.Hour}, CodeRateLimited, http.StatusTooManyRequests, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := ticketingtest.NewBilletweb(t)
			tt.failure.Path = "/api/attendees"
			fake.FailWith(tt.failure)
			cfg := testConfig()
			cfg.RequestTimeout = 100 * time.Millisecond
			err := billetwebConnector(t, fake, cfg).TestConnection(context.Background())
			if n := len(fake.RequestsTo("/api/attendees")); n != tt.calls {
				t.Errorf("%d requests, want %d", n, tt.calls)
			}
			if tt.code == "" {
				if err != nil {
					t.Fatalf("want recovery, got %v", err)
				}
				return
			}
			re := wantCode(t, err, tt.code)
			if re.Status != tt.status || re.System != Billetweb || re.Path != "/api/attendees" {
				t.Errorf("error = %+v, want status %d on /api/attendees", re, tt.status)
			}
			for _, secret := range []string{ticketingtest.BilletwebKey + "&", "key=" + ticketingtest.BilletwebKey} {
				if strings.Contains(err.Error(), secret) || strings.Contains(re.Excerpt, secret) {
					t.Errorf("error leaks the key: %v / %q", err, re.Excerpt)
				}
			}
			if len([]rune(re.Excerpt)) > 300 {
				t.Errorf("excerpt has %d characters", len([]rune(re.Excerpt)))
			}
		})
	}
}

func TestBilletwebPacing(t *testing.T) {
	fake := ticketingtest.NewBilletweb(t)
	cfg := testConfig()
	// 3 requests at once, then one every 20 ms; plus 30 ms before each serie.
	cfg.Pacing = map[System]Pacing{Billetweb: {Requests: 3, Window: 60 * time.Millisecond, Pause: 30 * time.Millisecond}}
	if _, err := billetwebConnector(t, fake, cfg).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	reqs := fake.Requests()
	if len(reqs) != 8 { // B1, B2, then B3+B4+B5 for two events
		t.Fatalf("%d requests", len(reqs))
	}
	// 8 requests with a burst of 3 need at least 5 refills of 20 ms.
	if total := reqs[len(reqs)-1].At.Sub(reqs[0].At); total < 90*time.Millisecond || total > 2*time.Second {
		t.Errorf("8 requests took %v, want ≈ 100 ms or more", total)
	}
	// The pause before the first serie: B2 → first B3 at least 30 ms apart.
	if gap := reqs[2].At.Sub(reqs[1].At); gap < 25*time.Millisecond {
		t.Errorf("pause before a serie = %v, want ≥ 30 ms", gap)
	}
}

// BenchmarkBilletwebFetchSeries fetches and aggregates 200 events of 500 attendees from the fake,
// pacing disabled: the connector alone, nothing is written (BenchmarkSynchronizeBilletweb in
// app/benchmarks measures a whole synchronization).
func BenchmarkBilletwebFetchSeries(b *testing.B) {
	fake := ticketingtest.NewBilletweb(b)
	fake.Generate(200, 500)
	cfg := testConfig()
	cfg.RequestTimeout = 30 * time.Second // 100 000 attendees in one B1 answer
	cfg.BilletwebBaseURL = fake.BaseURL
	conn, err := New(Billetweb, Credentials{AccessKey: ticketingtest.BilletwebUser, SecretKey: ticketingtest.BilletwebKey}, cfg)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		series, err := conn.FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{})
		if err != nil || len(series) != 200 || series[0].Events[0].PaidTickets != 500 {
			b.Fatalf("%d series, %v", len(series), err)
		}
	}
}
