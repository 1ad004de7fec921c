package ticketing

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/ticketing/ticketingtest"
)

func shotgunConnector(t *testing.T, fake *ticketingtest.Shotgun, secret string, cfg Config) Connector {
	cfg.ShotgunBaseURL = fake.BaseURL
	return mustNew(t, Shotgun, Credentials{AccessKey: ticketingtest.ShotgunOrganizerID, SecretKey: secret}, cfg)
}

var techno = []Serie{{RemoteID: "42", Name: "Techno Night", Events: []Event{
	ev("42", "2025-07-05T22:00:00Z", ptrUTC("2025-07-06T04:00:00Z"), "10.00", "9.48", "0.055", 1, 1),
}}}

func TestShotgunFetchSeries(t *testing.T) {
	tests := []struct {
		name, secret, param string
	}{
		{"new key", ticketingtest.ShotgunKey, "key"},
		{"token issued before 2025-07-01", ticketingtest.ShotgunOldToken, "token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := ticketingtest.NewShotgun(t)
			got, err := shotgunConnector(t, fake, tt.secret, testConfig()).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			assertSeries(t, got, techno)
			var seen []string
			for _, r := range fake.Requests() {
				if r.Query.Get(tt.param) != tt.secret {
					t.Errorf("%s lacks %s=", r.Path, tt.param)
				}
				seen = append(seen, strings.TrimPrefix(r.Path, "/api/shotgun")+"?"+r.RawQuery[strings.Index(r.RawQuery, tt.secret)+len(tt.secret)+1:])
			}
			want := []string{
				"/tickets/sold?after=2025-01-01T00%3A00%3A00.000Z",
				"/tickets/sold?after=2025-01-01T00%3A00%3A00.000Z&cursor=true",
				"/organizers/123/events?page=0&limit=50",
				"/tickets/sold?event_id=42&cursor=true",
			}
			if fmt.Sprint(seen) != fmt.Sprint(want) {
				t.Errorf("requests:\n%s\nwant\n%s", strings.Join(seen, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func TestJWTIssuedAt(t *testing.T) {
	tests := []struct {
		token string
		ok    bool
		iat   int64
	}{
		{ticketingtest.ShotgunOldToken, true, 1735689600},
		{"sk", false, 0},
		{"a.!!!.c", false, 0},
		{"a.eyJmb28iOjF9.c", false, 0}, // {"foo":1}
	}
	for _, tt := range tests {
		iat, ok := jwtIssuedAt(tt.token)
		if ok != tt.ok || (ok && iat.Unix() != tt.iat) {
			t.Errorf("jwtIssuedAt(%q) = %v, %v", tt.token, iat, ok)
		}
	}
}

func TestShotgunScenarios(t *testing.T) {
	manyTickets := func(n int) []ticketingtest.Object {
		var out []ticketingtest.Object
		for i := range n {
			out = append(out, ticketingtest.Object{"currency": "eur", "event_id": 42, "ticket_id": 1000 + i, "ticket_price": 2,
				"vat_rate": 0.055, "ticket_status": "valid", "ticket_updated_at": "2025-06-01T12:00:00.000Z"})
		}
		return out
	}
	manyEvents := func(n int, end string) []ticketingtest.Object {
		var out []ticketingtest.Object
		for i := range n {
			out = append(out, ticketingtest.Object{"id": 100 + i, "name": "Autre", "startTime": "2025-01-05T22:00:00.000Z", "endTime": end})
		}
		return out
	}
	tests := []struct {
		name   string
		setup  func(*ticketingtest.Shotgun)
		code   ErrorCode
		paid   int
		events string // page/past_events of each events request, or the error's Argument
	}{
		{"too much to retrieve", func(s *ticketingtest.Shotgun) { s.SetTotalPages(501) }, CodeTooMuchData, 0, ""},
		{"cursor chaining", func(s *ticketingtest.Shotgun) { s.SetTickets(manyTickets(120)) }, "", 120, "0/"},
		{"usd refused", func(s *ticketingtest.Shotgun) {
			s.SetTickets([]ticketingtest.Object{{"currency": "usd", "event_id": 42, "ticket_id": 1, "ticket_price": 2, "vat_rate": 0.055, "ticket_status": "valid", "ticket_updated_at": "2025-06-01T12:00:00.000Z"}})
		}, CodeForeignCurrency, 0, "USD"},
		{"event found among past ones, page counter restarts (decision T8)", func(s *ticketingtest.Shotgun) {
			past := ticketingtest.ObjectsJSON(`[{"id":42,"name":"Techno Night","startTime":"2025-07-05T22:00:00.000Z","endTime":"2025-07-06T04:00:00.000Z"}]`)
			s.SetEvents(append(manyEvents(60, "2026-01-01T00:00:00.000Z"), past...))
			s.Now = time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC)
		}, "", 1, "0/ 1/ 0/true"},
		{"deleted event ignored", func(s *ticketingtest.Shotgun) { s.SetEvents(nil) }, "", -1, "0/ 0/true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := ticketingtest.NewShotgun(t)
			tt.setup(fake)
			got, err := shotgunConnector(t, fake, ticketingtest.ShotgunKey, testConfig()).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{})
			if tt.code != "" {
				if re := wantCode(t, err, tt.code); tt.code == CodeForeignCurrency && re.Argument != tt.events {
					t.Errorf("argument %q, want %q", re.Argument, tt.events)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.paid < 0 {
				if len(got) != 0 {
					t.Fatalf("got %+v, want no serie", got)
				}
			} else if len(got) != 1 || got[0].Events[0].PaidTickets != tt.paid {
				t.Fatalf("got %+v, want %d paid tickets", got, tt.paid)
			}
			var pages []string
			for _, r := range fake.RequestsTo("/events") {
				pages = append(pages, r.Query.Get("page")+"/"+r.Query.Get("past_events"))
			}
			if s := strings.Join(pages, " "); s != tt.events {
				t.Errorf("event pages = %q, want %q", s, tt.events)
			}
		})
	}
}

func TestShotgunPause(t *testing.T) {
	fake := ticketingtest.NewShotgun(t)
	var tickets []ticketingtest.Object
	for i := range 101 { // 3 cursor pages
		tickets = append(tickets, ticketingtest.Object{"currency": "eur", "event_id": 42, "ticket_id": 1000 + i, "ticket_price": 2,
			"vat_rate": 0.055, "ticket_status": "valid", "ticket_updated_at": "2025-06-01T12:00:00.000Z"})
	}
	fake.SetTickets(tickets)
	cfg := testConfig()
	cfg.Pacing = map[System]Pacing{Shotgun: {Pause: 40 * time.Millisecond}}
	if _, err := shotgunConnector(t, fake, ticketingtest.ShotgunKey, cfg).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	var cursorPages []ticketingtest.Request
	for _, r := range fake.RequestsTo("/tickets/sold") {
		if r.Query.Has("after") && r.Query.Has("cursor") {
			cursorPages = append(cursorPages, r)
		}
	}
	if len(cursorPages) != 3 {
		t.Fatalf("%d cursor pages, want 3", len(cursorPages))
	}
	for i := 1; i < len(cursorPages); i++ {
		if gap := cursorPages[i].At.Sub(cursorPages[i-1].At); gap < 35*time.Millisecond || gap > time.Second {
			t.Errorf("gap between pages %d and %d = %v, want ≈ 40 ms", i-1, i, gap)
		}
	}
	if c := cursorPages[2].Query.Get("cursor"); c != "1099" {
		t.Errorf("third cursor = %s, want the last ticket id 1099", c)
	}
}
