package ticketing

import (
	"context"
	"testing"
	"time"

	"assistant-declaration/app/ticketing/ticketingtest"
)

func supersoniksConnector(t *testing.T, system System, fake *ticketingtest.Supersoniks) Connector {
	cfg := testConfig()
	cfg.HTTPClient = fake.Client()
	return mustNew(t, system, Credentials{AccessKey: ticketingtest.SupersoniksDomain, SecretKey: ticketingtest.SupersoniksToken}, cfg)
}

func TestSupersoniksFetchSeries(t *testing.T) {
	for _, system := range []System{Supersoniks, SoTicket} {
		t.Run(string(system), func(t *testing.T) {
			fake := ticketingtest.NewSupersoniks(t)
			// from is ignored: the whole fixed window is read again.
			got, err := supersoniksConnector(t, system, fake).FetchSeries(context.Background(), utc("2025-06-01T00:00:00Z"), time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			assertSeries(t, got, []Serie{
				{RemoteID: "billetterie-example-com_77", Name: "Tournée d'été", Events: []Event{
					ev("billetterie-example-com_501", "2025-07-01T18:00:00Z", ptrUTC("2025-07-01T20:00:00Z"), "70.00", "66.35", "0.055", 1, 3),
				}},
				{RemoteID: "billetterie-example-com_session_502", Name: "Solo", Events: []Event{
					ev("billetterie-example-com_502", "2025-07-08T19:00:00Z", ptrUTC("2025-07-08T21:00:00Z"), "0", "0", "0.021", 0, 0),
				}},
			})
			reqs := fake.Requests()
			// now = 2025-06-15T10:00Z: from = now − 13 months, to = now + 1 year.
			want := "bypass_closed=true&from=1715767200&to=1781517600"
			if len(reqs) != 1 || reqs[0].Host != ticketingtest.SupersoniksDomain || reqs[0].Path != "/api/v2/statement/closing" || reqs[0].RawQuery != want {
				t.Errorf("requests = %+v, want one to %s with %s", reqs, ticketingtest.SupersoniksDomain, want)
			}
		})
	}
}

func TestSupersoniksScenarios(t *testing.T) {
	session := func(extra string) []ticketingtest.Object {
		return ticketingtest.ObjectsJSON(`[{"session":{"id":9,"start_date":1751392800,"end_date":0,
 "settings":{"tax":{"rate":0.055},"duration":null},"edito":{"title":"Cadeau"},"entity_type":"event"` + extra + `},
 "internals_prices":[{"amount":25,"quantity":2,"revenue":50,"title":""}],"externals_prices":[]}]`)
	}
	tests := []struct {
		name   string
		data   []ticketingtest.Object
		code   ErrorCode
		events int
		noEnd  bool
	}{
		{"gift card skipped", session(`,"entity_type":"giftcard"`), "", 0, false},
		{"no end and no duration", session(``), "", 1, true},
		{"missing tax", ticketingtest.ObjectsJSON(`[{"session":{"id":9,"start_date":1751392800,"settings":{},"edito":{"title":"X"}},"internals_prices":[],"externals_prices":[]}]`), CodeMalformedResponse, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := ticketingtest.NewSupersoniks(t)
			fake.SetStatements(tt.data)
			got, err := supersoniksConnector(t, Supersoniks, fake).FetchSeries(context.Background(), time.Time{}, time.Time{})
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || len(got[0].Events) != tt.events {
				t.Fatalf("got %+v, want one serie with %d events", got, tt.events)
			}
			if tt.events > 0 && (got[0].Events[0].EndAt == nil) != tt.noEnd {
				t.Errorf("EndAt = %v", got[0].Events[0].EndAt)
			}
		})
	}
}

func TestSupersoniksFailures(t *testing.T) {
	fake := ticketingtest.NewSupersoniks(t)
	cfg := testConfig()
	cfg.HTTPClient = fake.Client()
	conn := mustNew(t, SoTicket, Credentials{AccessKey: ticketingtest.SupersoniksDomain, SecretKey: "wrong"}, cfg)
	re := wantCode(t, conn.TestConnection(context.Background()), CodeUnauthorized)
	if re.Status != 403 || re.System != SoTicket || re.Excerpt == "" {
		t.Errorf("error = %+v", re)
	}
	fake.FailWith(ticketingtest.Failure{Kind: ticketingtest.Status, Status: 200, Body: `{"success":false,"messages":[],"data":null}`})
	wantCode(t, supersoniksConnector(t, Supersoniks, fake).TestConnection(context.Background()), CodeHTTPError)
}

func TestSlugify(t *testing.T) {
	tests := map[string]string{
		"billetterie.masalle.com": "billetterie-masalle-com",
		"maSalle.fr":              "ma-salle-fr",
		"théâtre.fr":              "th-tre-fr",
	}
	for in, want := range tests {
		if got := slugify(in); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

// A connection stored before domains were lower-cased keeps its capitals, and its series ids the
// prefix they were made with: its next synchronization must find the same ids, not new ones that
// would duplicate every series. The requests go to the lower-cased domain all the same.
func TestSupersoniksSeriesIdsFollowTheStoredDomain(t *testing.T) {
	for stored, prefix := range map[string]string{"Billetterie.MaSalle.com": "billetterie-ma-salle-com_", "billetterie.masalle.com": "billetterie-masalle-com_"} {
		fake := ticketingtest.NewSupersoniks(t)
		cfg := testConfig()
		cfg.HTTPClient = fake.Client()
		got, err := mustNew(t, SoTicket, Credentials{AccessKey: stored, SecretKey: ticketingtest.SupersoniksToken}, cfg).
			FetchSeries(context.Background(), utc("2025-06-01T00:00:00Z"), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].RemoteID != prefix+"77" || got[0].Events[0].RemoteID != prefix+"501" {
			t.Errorf("%s: series %+v, want ids prefixed %s", stored, got, prefix)
		}
		if reqs := fake.Requests(); len(reqs) != 1 || reqs[0].Host != "billetterie.masalle.com" {
			t.Errorf("%s: requests %+v, want one to the lower-cased domain", stored, reqs)
		}
	}
}

func TestKeepStoredDomain(t *testing.T) {
	stored := Credentials{AccessKey: "Billetterie.MaSalle.com", SecretKey: "old"}
	tests := []struct {
		system System
		typed  Credentials
		want   string
	}{
		{SoTicket, Credentials{AccessKey: " billetterie.masalle.COM ", SecretKey: "new"}, "Billetterie.MaSalle.com"},
		{Supersoniks, Credentials{AccessKey: "billetterie.masalle.com", SecretKey: "new"}, "Billetterie.MaSalle.com"},
		{SoTicket, Credentials{AccessKey: "autre.masalle.com", SecretKey: "new"}, "autre.masalle.com"},
		{Billetweb, Credentials{AccessKey: "billetterie.masalle.com", SecretKey: "new"}, "billetterie.masalle.com"},
	}
	for _, tt := range tests {
		if got := tt.system.KeepStoredDomain(tt.typed, stored); got.AccessKey != tt.want || got.SecretKey != "new" {
			t.Errorf("%s %q: %+v, want the domain %q and the new key", tt.system, tt.typed.AccessKey, got, tt.want)
		}
	}
}
