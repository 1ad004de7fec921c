package ticketing

import (
	"testing"
)

// Each fuzz target feeds arbitrary bytes to every parser of one system: malformed input must
// return an error, never panic. Seeds are the fakes' reference samples (rule C8, docs/decisions.md).

func fuzzParsers(f *testing.F, seeds []string, parsers ...func([]byte) error) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"a":`))
	f.Add([]byte(`[{"price":"1e999999999"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, parse := range parsers {
			_ = parse(body)
		}
	})
}

func ignore[T any](parse func([]byte) (T, error)) func([]byte) error {
	return func(b []byte) error { _, err := parse(b); return err }
}

func FuzzParseBilletweb(f *testing.F) {
	fuzzParsers(f, []string{
		`[{"event":"101","ticket_id":"5001","price":"21.00","disabled":"0","order_payment_type":"web","order_session":"0"}]`,
		`[{"id":"103","name":"Vieux","start":"0000-00-00 00:00:00","end":"0000-00-00 00:00:00","multiple":"0","tax_rate":"0"}]`,
		`[{"id":"9001","start":"2025-04-10 18:00:00","end":"2025-04-10 23:00:00"}]`,
		`[{"id":"5002","name":"Invitation","price":0,"description":"","tax":"","commission":false}]`,
		`{"error":"unauthorized","description":"This key has limited rights to specific events"}`,
	}, ignore(parseBilletwebAttendees), ignore(parseBilletwebEvents), ignore(parseBilletwebDates), ignore(parseBilletwebTickets))
}

func FuzzParseHelloAsso(f *testing.F) {
	fuzzParsers(f, []string{
		`{"access_token":"at-1","expires_in":1800,"refresh_token":"rt-1","token_type":"bearer"}`,
		`[{"organizationSlug":"asso-theatre","name":"Asso Théâtre","role":"OrganizationAdmin"}]`,
		`{"data":[{"formSlug":"spectacle-juin"}],"pagination":{"pageSize":100,"totalPages":1,"continuationToken":"tok-o1"}}`,
		`{"data":[{"tierId":501,"amount":2000}],"pagination":{"pageSize":100,"totalPages":1,"continuationToken":"tok-i1"}}`,
		`{"formSlug":"s","title":"T","currency":"EUR","startDate":"2025-06-20T20:00:00+02:00","endDate":null,"tiers":[{"id":501,"tierType":"Registration","price":2000,"vatRate":5.5}]}`,
	}, ignore(parseHelloAssoToken), ignore(parseHelloAssoOrganizations), ignore(parseHelloAssoOrders), ignore(parseHelloAssoItems), ignore(parseHelloAssoForm))
}

func FuzzParseMapado(f *testing.F) {
	fuzzParsers(f, []string{
		`{"hydra:totalItems":1,"hydra:member":[{"@id":"/v1/tickets/1","eventDate":"/v1/event_dates/3001","updatedAt":"2025-05-01T10:00:00+02:00"}]}`,
		`{"hydra:totalItems":1,"hydra:member":[{"@id":"/v1/event_dates/3001","ticketing":"/v1/ticketings/700"}]}`,
		`{"hydra:totalItems":1,"hydra:member":[{"@id":"/v1/ticketings/700","type":"dated_events","title":"Le Cid","currency":"EUR","eventDateList":["/v1/event_dates/3001"],"venue":{"countryCode":"FR"}}]}`,
		`{"hydra:totalItems":1,"hydra:member":[{"@id":"/v1/event_dates/3002","startDate":"2025-06-02T20:00:00+02:00","endDate":null,"ticketPriceList":[{"@id":"/v1/ticket_prices/83","currency":"EUR","facialValue":2500,"tax":{"rate":0.055,"countryCode":null}}]}]}`,
		`{"hydra:totalItems":1,"hydra:member":[{"@id":"/v1/tickets/3","status":"payed","facialValue":null,"ticketPrice":"/v1/ticket_prices/83","eventDate":"/v1/event_dates/3002","isValid":true,"imported":false}],"hydra:nextPage":"/v1/tickets?page=2"}`,
	}, ignore(parseMapadoChangedTickets), ignore(parseMapadoDateTicketings), ignore(parseMapadoTicketings), ignore(parseMapadoEventDates), ignore(parseMapadoTickets))
}

func FuzzParseShotgun(f *testing.F) {
	fuzzParsers(f, []string{
		`{"query":{},"pagination":{"next":null,"totalResults":3,"totalPages":1},"data":[{"currency":"eur","event_id":42,"ticket_id":880001,"ticket_price":10,"vat_rate":0.055,"ticket_status":"valid"}]}`,
		`{"data":[{"id":42,"name":"Techno Night","startTime":"2025-07-05T22:00:00.000Z","endTime":"2025-07-06T04:00:00.000Z"}]}`,
	}, ignore(parseShotgunTickets), ignore(parseShotgunEvents))
}

func FuzzParseSupersoniks(f *testing.F) {
	fuzzParsers(f, []string{
		`{"success":true,"messages":[],"total":1,"data":[{"session":{"id":501,"start_date":1751392800,"end_date":0,"multisession":{"multisession_id":77,"title":"Tournée"},"settings":{"tax":{"rate":0.055},"duration":120},"edito":{"title":"L"},"entity_type":"event"},"internals_prices":[{"amount":-10,"quantity":0,"revenue":-10,"title":""}],"externals_prices":[]}]}`,
		`{"success":false,"messages":[{"content":"Bearer token expired/invalid"}],"data":null}`,
	}, ignore(parseSupersoniksClosing))
}

func FuzzParseScalars(f *testing.F) {
	for _, s := range []string{`"1"`, `0`, `"true"`, `"21.00"`, `false`, `null`, `"2025-03-01 20:30:00"`, `"0000-00-00 00:00:00"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b boolish
		var n numish
		var m number
		var c bwCommission
		var i isoTime
		_, _, _, _, _ = b.UnmarshalJSON(data), n.UnmarshalJSON(data), m.UnmarshalJSON(data), c.UnmarshalJSON(data), i.UnmarshalJSON(data)
		_, _ = parseParisWallClock(string(data))
	})
}
