package ticketing

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/ticketing/ticketingtest"
)

func mapadoConnector(t *testing.T, fake *ticketingtest.Mapado) Connector {
	cfg := testConfig()
	cfg.RequestTimeout = 10 * time.Second // pages of 10 000 tickets take a while under -race
	cfg.MapadoBaseURL = fake.URL + "/"    // a trailing slash must not produce "//v1"
	return mustNew(t, Mapado, Credentials{AccessKey: "ignored", SecretKey: ticketingtest.MapadoToken}, cfg)
}

func TestMapadoFetchSeries(t *testing.T) {
	fake := ticketingtest.NewMapado(t)
	got, err := mapadoConnector(t, fake).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	assertSeries(t, got, []Serie{{RemoteID: "700", Name: "Le Cid", Events: []Event{
		ev("3001", "2025-06-01T18:00:00Z", ptrUTC("2025-06-01T20:00:00Z"), "25.00", "23.70", "0.055", 1, 1),
		ev("3002", "2025-06-02T18:00:00Z", nil, "25.00", "23.70", "0.055", 0, 1),
	}}})
	reqs := fake.Requests()
	want := []string{
		"/v1/tickets user=me&updatedSince=2025-01-01T00%3A00%3A00.000Z&fields=eventDate%2CupdatedAt&itemsPerPage=10000&page=1",
		"/v1/event_dates @id=3001%2C3002&itemsPerPage=100000000&fields=ticketing",
		"/v1/ticketings @id=700&itemsPerPage=100000000&fields=type%2Ctitle%2CeventDateList%2Ccurrency%2Cvenue%7BcountryCode%7D",
	}
	for i, w := range want {
		if got := reqs[i].Path + " " + reqs[i].RawQuery; got != w {
			t.Errorf("request %d = %s\nwant          %s", i, got, w)
		}
	}
	if q := reqs[4].Query; reqs[4].Path != "/v1/tickets" || q.Get("ticketing") != "/v1/ticketings/700" || q.Get("page") != "1" {
		t.Errorf("M5 = %s %s", reqs[4].Path, reqs[4].RawQuery)
	}
}

func TestMapadoScenarios(t *testing.T) {
	ticketing := func(extra string) []ticketingtest.Object {
		return ticketingtest.ObjectsJSON(`[{"@id":"/v1/ticketings/700","type":"dated_events","title":"Le Cid","currency":"EUR",
  "eventDateList":["/v1/event_dates/3001","/v1/event_dates/3002"]` + extra + `}]`)
	}
	tests := []struct {
		name   string
		setup  func(*ticketingtest.Mapado)
		code   ErrorCode
		events string // RemoteID:paid:incl of each event, or the error's Argument
	}{
		{"offer dropped", func(m *ticketingtest.Mapado) { m.SetTicketings(ticketing(`,"type":"offer"`)) }, "", "-"},
		{"abroad dropped", func(m *ticketingtest.Mapado) { m.SetTicketings(ticketing(`,"venue":{"countryCode":"BE"}`)) }, "", "-"},
		{"corsica and no venue kept", func(m *ticketingtest.Mapado) { m.SetTicketings(ticketing(`,"venue":null`)) }, "", "3001:1:25 3002:1:25"},
		{"foreign tax on a price", func(m *ticketingtest.Mapado) { setPrice(m, `"tax":{"rate":0.06,"countryCode":"BE"}`, 2500) }, CodeForeignTaxRate, "BE"},
		{"non-imported ticket without price", func(m *ticketingtest.Mapado) {
			m.SetTickets(ticketingtest.ObjectsJSON(`[{"@id":"/v1/tickets/9","status":"payed","facialValue":100,"ticketPrice":null,"eventDate":"/v1/event_dates/3001","isValid":true,"imported":false,"updatedAt":"2025-05-01T10:00:00+02:00"}]`))
		}, CodeInconsistentData, ""},
		{"negative facial value uses the category", func(m *ticketingtest.Mapado) {
			m.SetTickets(ticketingtest.ObjectsJSON(`[{"@id":"/v1/tickets/9","status":"payed","facialValue":-500,"ticketPrice":"/v1/ticket_prices/81","eventDate":"/v1/event_dates/3001","isValid":true,"imported":false,"updatedAt":"2025-05-01T10:00:00+02:00"}]`))
		}, "", "3001:1:25 3002:0:0"},
		{"date without start skipped alone (decision T7)", func(m *ticketingtest.Mapado) {
			setPrice(m, `"tax":{"rate":0.055,"countryCode":null},"_":0`, 2500)
			dates := ticketingtest.ObjectsJSON(`[{"@id":"/v1/event_dates/3001","ticketing":"/v1/ticketings/700","startDate":null,"endDate":null,"startOfEventDay":null,"ticketPriceList":[]},
 {"@id":"/v1/event_dates/3002","ticketing":"/v1/ticketings/700","startDate":null,"endDate":null,"startOfEventDay":"2025-06-02T05:00:00+02:00",
  "ticketPriceList":[{"@id":"/v1/ticket_prices/83","currency":"EUR","facialValue":2500,"tax":{"rate":0.055,"countryCode":null}}]}]`)
			m.SetEventDates(dates)
		}, "", "3002:1:25 undated_tickets:3"},
		{"usd refused", func(m *ticketingtest.Mapado) { m.SetTicketings(ticketing(`,"currency":"USD"`)) }, CodeForeignCurrency, "USD"},
		{"chf price refused", func(m *ticketingtest.Mapado) {
			setPrice(m, `"tax":{"rate":0.081,"countryCode":"CH"},"currency":"CHF"`, 2500)
		}, CodeForeignCurrency, "CHF"},
		{"total beyond the unpaged bound", func(m *ticketingtest.Mapado) { m.SetTotalItems(100000001) }, CodeInconsistentData, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := ticketingtest.NewMapado(t)
			tt.setup(fake)
			got, err := mapadoConnector(t, fake).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{})
			if tt.code != "" {
				if re := wantCode(t, err, tt.code); re.Argument != tt.events {
					t.Errorf("argument %q, want %q", re.Argument, tt.events)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var summary []string
			for _, s := range got {
				for _, e := range s.Events {
					summary = append(summary, fmt.Sprintf("%s:%d:%s", e.RemoteID, e.PaidTickets, e.RevenueIncludingTaxes))
				}
				for code, n := range s.Warnings {
					summary = append(summary, fmt.Sprintf("%s:%d", code, n))
				}
			}
			if s := strings.Join(summary, " "); s != strings.Trim(tt.events, "-") {
				t.Errorf("events = %q, want %q", s, tt.events)
			}
		})
	}
}

// setPrice replaces the tax of price 81 (date 3001) in the sample.
func setPrice(m *ticketingtest.Mapado, tax string, facial int) {
	m.SetEventDates(ticketingtest.ObjectsJSON(fmt.Sprintf(`[
 {"@id":"/v1/event_dates/3001","ticketing":"/v1/ticketings/700","startDate":"2025-06-01T20:00:00+02:00","endDate":null,
  "ticketPriceList":[{"@id":"/v1/ticket_prices/81","currency":"EUR","facialValue":%d,%s},
                     {"@id":"/v1/ticket_prices/82","currency":"EUR","facialValue":0,"tax":{"rate":0,"countryCode":""}}]},
 {"@id":"/v1/event_dates/3002","ticketing":"/v1/ticketings/700","startDate":"2025-06-02T20:00:00+02:00","endDate":null,
  "ticketPriceList":[{"@id":"/v1/ticket_prices/83","currency":"EUR","facialValue":2500,"tax":{"rate":0.055,"countryCode":null}}]}]`, facial, tax)))
}

func TestMapadoChunksAndPages(t *testing.T) {
	fake := ticketingtest.NewMapado(t)
	var dates, tickets []ticketingtest.Object
	var list []any
	for i := range 1001 {
		iri := fmt.Sprintf("/v1/event_dates/%d", 5000+i)
		list = append(list, iri)
		dates = append(dates, ticketingtest.Object{"@id": iri, "ticketing": "/v1/ticketings/700", "startDate": "2025-06-01T20:00:00+02:00",
			"endDate": nil, "ticketPriceList": []any{ticketingtest.Object{"@id": "/v1/ticket_prices/1", "currency": "EUR", "facialValue": 1000,
				"tax": ticketingtest.Object{"rate": 0.055, "countryCode": "FR"}}}})
	}
	for i := range 10001 { // two pages of 10 000
		tickets = append(tickets, ticketingtest.Object{"@id": fmt.Sprint(i), "status": "payed", "facialValue": 1000, "ticketPrice": "/v1/ticket_prices/1",
			"eventDate": "/v1/event_dates/5000", "imported": false, "updatedAt": "2025-05-01T10:00:00+02:00"})
	}
	fake.SetEventDates(dates)
	fake.SetTickets(tickets)
	fake.SetTicketings([]ticketingtest.Object{{"@id": "/v1/ticketings/700", "type": "dated_events", "title": "Le Cid", "currency": "EUR", "eventDateList": list}})
	got, err := mapadoConnector(t, fake).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Events) != 1001 || got[0].Events[0].PaidTickets != 10001 || got[0].Events[0].RevenueIncludingTaxes.String() != "100010" {
		t.Fatalf("got %d series; first event %+v", len(got), got[0].Events[0])
	}
	if n := len(fake.RequestsTo("/v1/event_dates")); n != 4 { // M2 for the one changed date, M4 in 3 chunks
		t.Errorf("event_dates requests = %d, want 4", n)
	}
	for _, r := range fake.RequestsTo("/v1/event_dates") {
		if n := len(strings.Split(r.Query.Get("@id"), ",")); n > 500 {
			t.Errorf("a request asked for %d ids", n)
		}
	}
	if n := len(fake.RequestsTo("/v1/tickets")); n != 4 { // M1 and M5, two pages each
		t.Errorf("tickets requests = %d, want 4", n)
	}
}

func TestMapadoTicketingsAreChunked(t *testing.T) {
	fake := ticketingtest.NewMapado(t)
	var dates, tickets, ticketings []ticketingtest.Object
	for i := range 501 {
		date, ticketing := fmt.Sprintf("/v1/event_dates/%d", 5000+i), fmt.Sprintf("/v1/ticketings/%d", 700+i)
		dates = append(dates, ticketingtest.Object{"@id": date, "ticketing": ticketing, "startDate": "2025-06-01T20:00:00+02:00",
			"endDate": nil, "ticketPriceList": []any{ticketingtest.Object{"@id": "/v1/ticket_prices/1", "currency": "EUR", "facialValue": 1000,
				"tax": ticketingtest.Object{"rate": 0.055, "countryCode": "FR"}}}})
		tickets = append(tickets, ticketingtest.Object{"@id": fmt.Sprint(i), "status": "payed", "facialValue": 1000, "ticketPrice": "/v1/ticket_prices/1",
			"eventDate": date, "imported": false, "updatedAt": "2025-05-01T10:00:00+02:00"})
		// Offers are dropped without further requests; the last ticketing, in the second chunk, is kept.
		kind := "offer"
		if i == 500 {
			kind = "dated_events"
		}
		ticketings = append(ticketings, ticketingtest.Object{"@id": ticketing, "type": kind, "title": "T", "currency": "EUR", "eventDateList": []any{date}})
	}
	fake.SetEventDates(dates)
	fake.SetTickets(tickets)
	fake.SetTicketings(ticketings)
	got, err := mapadoConnector(t, fake).FetchSeries(context.Background(), utc("2025-01-01T00:00:00Z"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].RemoteID != "1200" || len(got[0].Events) != 1 || got[0].Events[0].PaidTickets != 1 {
		t.Fatalf("got %+v", got)
	}
	reqs := fake.RequestsTo("/v1/ticketings")
	if len(reqs) != 2 {
		t.Fatalf("ticketings requests = %d, want 2", len(reqs))
	}
	for _, r := range reqs {
		if n := len(strings.Split(r.Query.Get("@id"), ",")); n > 500 {
			t.Errorf("a request asked for %d ticketings", n)
		}
	}
}

// Mapado returns only the fields asked for: the connection test asks for updatedAt alone, so a
// ticket updated at that moment (or Mapado's clock slightly ahead) must not make it fail.
func TestMapadoTestConnectionWithATicketJustUpdated(t *testing.T) {
	fake := ticketingtest.NewMapado(t)
	fake.SetTickets(ticketingtest.ObjectsJSON(`[{"@id":"/v1/tickets/9","status":"payed","facialValue":2500,
  "ticketPrice":"/v1/ticket_prices/81","eventDate":"/v1/event_dates/3001","imported":false,"updatedAt":"2025-06-15T10:00:01+00:00"}]`))
	if err := mapadoConnector(t, fake).TestConnection(context.Background()); err != nil {
		t.Fatal(err)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Query.Get("fields") != "updatedAt" {
		t.Fatalf("requests %v", reqs)
	}
}
