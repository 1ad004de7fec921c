package ticketing

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"assistant-declaration/app/ticketing/ticketingtest"
)

func helloassoConnector(t *testing.T, fake *ticketingtest.HelloAsso, cfg Config) Connector {
	cfg.HelloAssoBaseURL = fake.URL
	return mustNew(t, HelloAsso, Credentials{AccessKey: ticketingtest.HelloAssoClientID, SecretKey: ticketingtest.HelloAssoClientSecret}, cfg)
}

var spectacleJuin = Serie{RemoteID: "spectacle-juin", Name: "Spectacle de juin", Events: []Event{
	// Decision T6 (docs/decisions.md): the free 0 % tier aligns with the 5.5 % one.
	ev("spectacle-juin", "2025-06-20T18:00:00Z", ptrUTC("2025-06-20T20:00:00Z"), "40.00", "37.91", "0.055", 1, 2),
}}

func TestHelloAssoFetchSeries(t *testing.T) {
	fake := ticketingtest.NewHelloAsso(t)
	got, err := helloassoConnector(t, fake, testConfig()).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	assertSeries(t, got, []Serie{spectacleJuin})

	token := fake.RequestsTo("/oauth2/token")
	if len(token) != 1 || token[0].Form.Get("client_id") != "cid" || token[0].Form.Get("client_secret") != "csec" || token[0].Header.Get("Authorization") != "" {
		t.Errorf("token request = %+v, want credentials in the form body", token)
	}
	orders := fake.RequestsTo("/orders")
	if len(orders) != 1 || orders[0].RawQuery != "formTypes=Event&from=2025-01-01T00%3A00%3A00.000Z&sortOrder=Desc&withCount=true&pageSize=100" {
		t.Errorf("orders requests = %+v", orders)
	}
	items := fake.RequestsTo("/items")
	if len(items) != 1 || fmt.Sprint(items[0].Query["itemStates"]) != "[Processed Registered]" || items[0].Query.Get("tierTypes") != "Registration" {
		t.Errorf("items requests = %+v", items)
	}
}

func TestHelloAssoPagination(t *testing.T) {
	fake := ticketingtest.NewHelloAsso(t)
	fake.SetPageSize(2)
	var orders []ticketingtest.Object
	for i := range 5 { // five orders of the same form: 3 pages
		orders = append(orders, ticketingtest.Object{"id": i, "date": "2025-05-02T10:00:00+02:00", "formSlug": "spectacle-juin"})
	}
	fake.SetOrders(orders)
	got, err := helloassoConnector(t, fake, testConfig()).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	assertSeries(t, got, []Serie{spectacleJuin})
	var tokens []string
	for _, r := range fake.RequestsTo("/orders") {
		tokens = append(tokens, r.Query.Get("continuationToken"))
	}
	// Page 3 is short but HelloAsso still returns a token: it is followed once, then the empty
	// page repeating it ends the loop.
	if fmt.Sprint(tokens) != "[ tok-2 tok-4 tok-5]" {
		t.Errorf("continuation tokens sent = %q", tokens)
	}
	if n := len(fake.RequestsTo("/items")); n != 3 { // 3 items: a full page, a short one, the empty echo
		t.Errorf("items fetched in %d pages, want 3", n)
	}
}

func TestHelloAssoScenarios(t *testing.T) {
	form := func(mutate func(ticketingtest.Object)) func(*ticketingtest.HelloAsso) {
		return func(h *ticketingtest.HelloAsso) {
			f := ticketingtest.ObjectsJSON(`[{"formSlug":"spectacle-juin","title":"Spectacle de juin","currency":"EUR",
 "startDate":"2025-06-20T20:00:00+02:00","endDate":null,"tiers":[{"id":501,"tierType":"Registration","price":2000,"vatRate":5.5}]}]`)[0]
			mutate(f)
			h.SetForm("spectacle-juin", f)
		}
	}
	tests := []struct {
		name   string
		setup  func(*ticketingtest.HelloAsso)
		code   ErrorCode
		series int
	}{
		{"undated form skipped", form(func(f ticketingtest.Object) { f["startDate"] = nil }), "", 0},
		{"undated non-euro form skipped", form(func(f ticketingtest.Object) { f["startDate"], f["currency"] = nil, "CHF" }), "", 0},
		{"free tier absent from the map is fine", form(func(ticketingtest.Object) {}), "", 1},
		{"missing tier", func(h *ticketingtest.HelloAsso) {
			h.SetItems("spectacle-juin", ticketingtest.ObjectsJSON(`[{"id":9,"tierId":999,"amount":1500}]`))
		}, CodeMissingTier, 0},
		{"two organizations", func(h *ticketingtest.HelloAsso) {
			h.SetOrganizations(ticketingtest.ObjectsJSON(`[{"organizationSlug":"a"},{"organizationSlug":"b"}]`))
		}, CodeNotSingleOrganization, 0},
		{"order without form", func(h *ticketingtest.HelloAsso) {
			h.SetOrders(ticketingtest.ObjectsJSON(`[{"id":1,"date":"2025-05-02T10:00:00+02:00"}]`))
		}, CodeMalformedResponse, 0},
		{"no orders", func(h *ticketingtest.HelloAsso) { h.SetOrders(nil) }, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := ticketingtest.NewHelloAsso(t)
			tt.setup(fake)
			got, err := helloassoConnector(t, fake, testConfig()).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{})
			if tt.code != "" {
				wantCode(t, err, tt.code)
				return
			}
			if err != nil || len(got) != tt.series {
				t.Fatalf("got %d series (%v), want %d", len(got), err, tt.series)
			}
		})
	}
}

// A show sold in another currency than the euro is not skipped in silence: it is refused with
// the code every connector uses, naming the currency (issue 12).
func TestHelloAssoForeignCurrencyForm(t *testing.T) {
	fake := ticketingtest.NewHelloAsso(t)
	fake.SetForm("spectacle-juin", ticketingtest.ObjectsJSON(`[{"formSlug":"spectacle-juin","title":"Spectacle de juin","currency":"chf",
 "startDate":"2025-06-20T20:00:00+02:00","endDate":null,"tiers":[{"id":501,"tierType":"Registration","price":2000,"vatRate":5.5}]}]`)[0])
	_, err := helloassoConnector(t, fake, testConfig()).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{})
	re := wantCode(t, err, CodeForeignCurrency)
	if re.Argument != "CHF" || re.System != HelloAsso || re.Path != "/v5/organizations/asso-theatre/forms/Event/spectacle-juin/public" {
		t.Errorf("error %+v, want the currency CHF and the form's path", re)
	}
}

func TestHelloAssoTestConnection(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		code   ErrorCode
	}{
		{"ok", ticketingtest.HelloAssoClientSecret, ""},
		{"wrong secret", "nope", CodeUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := ticketingtest.NewHelloAsso(t)
			cfg := testConfig()
			cfg.HelloAssoBaseURL = fake.URL
			err := mustNew(t, HelloAsso, Credentials{AccessKey: "cid", SecretKey: tt.secret}, cfg).TestConnection(context.Background())
			if tt.code != "" {
				re := wantCode(t, err, tt.code)
				if re.Status != 401 || re.Path != "/oauth2/token" {
					t.Errorf("error = %+v", re)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			orders := fake.RequestsTo("/orders")
			want := url.Values{"formTypes": {"Event"}, "from": {"2027-06-15T10:00:00.000Z"}, "to": {"2027-06-15T10:00:00.000Z"}, "pageSize": {"1"}}
			if len(orders) != 1 || fmt.Sprint(orders[0].Query) != fmt.Sprint(want) {
				t.Errorf("orders = %+v, want %v", orders, want)
			}
		})
	}
}

func TestHelloAssoPacing(t *testing.T) {
	fake := ticketingtest.NewHelloAsso(t)
	cfg := testConfig()
	cfg.Pacing = map[System]Pacing{HelloAsso: {Requests: 2, Window: 100 * time.Millisecond, MaxConcurrent: 5}}
	if _, err := helloassoConnector(t, fake, cfg).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{}); err != nil {
		t.Fatal(err)
	}
	reqs := fake.Requests()
	// token (not paced), then 4 /v5 requests with a burst of 2 and one more every 50 ms.
	if len(reqs) != 5 || reqs[0].Path != "/oauth2/token" {
		t.Fatalf("requests = %+v", reqs)
	}
	if d := reqs[4].At.Sub(reqs[1].At); d < 90*time.Millisecond || d > 2*time.Second {
		t.Errorf("4 paced requests spread over %v, want ≈ 100 ms", d)
	}
	if d := reqs[1].At.Sub(reqs[0].At); d > 40*time.Millisecond {
		t.Errorf("first /v5 request waited %v after the token: the burst should allow it at once", d)
	}
}
