package ticketing

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// Each parser fuzz target feeds arbitrary bytes to every parser of one system. The contract:
// never panic; a body that is not JSON is an error; a body accepted holds everything the
// connector then relies on without checking again (fields it dereferences are there, amounts
// and rates are ≥ 0 and small enough for exact arithmetic). Seeds are the fakes' reference samples (rule C8,
// docs/decisions.md).

// parser is one parser under fuzzing with the invariant of what it accepts.
type parser func(body []byte) error

// checked runs parse and, when it accepts the body, the invariant of its result.
func checked[T any](parse func([]byte) (T, error), holds func(T) error) parser {
	return func(body []byte) error {
		v, err := parse(body)
		if err != nil {
			return err
		}
		if broken := holds(v); broken != nil {
			return fmt.Errorf("accepted a body breaking an invariant: %w", broken)
		}
		return nil
	}
}

var errBroken = errors.New("invariant")

func fuzzParsers(f *testing.F, seeds []string, parsers ...parser) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"a":`))
	f.Add([]byte(`[{"price":"1e999999999"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for i, parse := range parsers {
			err := parse(body)
			if errors.Is(err, errBroken) {
				t.Fatalf("parser %d: %v\nbody: %q", i, err, body)
			}
			if err == nil && !json.Valid(body) {
				t.Fatalf("parser %d accepted a body that is not JSON: %q", i, body)
			}
		}
	})
}

// broken reports an invariant that does not hold.
func broken(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errBroken}, args...)...)
}

// each checks an invariant on every element of a list.
func each[T any](holds func(*T) error) func([]T) error {
	return func(list []T) error {
		for i := range list {
			if err := holds(&list[i]); err != nil {
				return fmt.Errorf("item %d: %w", i, err)
			}
		}
		return nil
	}
}

// amount checks that an accepted amount or rate is ≥ 0 and bounded: the tally divides and
// rounds it, which must stay exact and fast, and the result must fit the database.
func amount(name string, d decimal.Decimal) error {
	if d.IsNegative() {
		return broken("%s %s < 0", name, d)
	}
	if whole, fraction, _ := strings.Cut(d.String(), "."); len(whole) > maxDigits || len(fraction) > maxDigits {
		return broken("%s %.50s… has more than %d digits on one side of the point", name, d, maxDigits)
	}
	return nil
}

func FuzzParseBilletweb(f *testing.F) {
	fuzzParsers(f, []string{
		`[{"event":"101","ticket_id":"5001","price":"21.00","disabled":"0","order_payment_type":"web","order_session":"0"}]`,
		`[{"id":"103","name":"Vieux","start":"0000-00-00 00:00:00","end":"0000-00-00 00:00:00","multiple":"0","tax_rate":"0"}]`,
		`[{"id":"9001","start":"2025-04-10 18:00:00","end":"2025-04-10 23:00:00"}]`,
		`[{"id":"5002","name":"Invitation","price":0,"description":"","tax":"","commission":false}]`,
		`{"error":"unauthorized","description":"This key has limited rights to specific events"}`,
	},
		checked(parseBilletwebAttendees, each(func(a *bwAttendee) error {
			if a.TicketID == "" || !a.Price.set || !a.Disabled.set || a.OrderPaymentType == nil || a.OrderSession == nil {
				return broken("attendee fields missing: %+v", *a)
			}
			return amount("price", a.Price.v)
		})),
		checked(parseBilletwebEvents, each(func(e *bwEvent) error {
			if e.ID == "" || e.Name == "" || !e.Multiple.set || !e.TaxRate.set {
				return broken("event fields missing: %+v", *e)
			}
			return amount("tax_rate", e.TaxRate.v)
		})),
		checked(parseBilletwebDates, each(func(d *bwDate) error {
			if d.ID == "" || d.start == nil {
				return broken("date without id or start: %+v", *d)
			}
			return nil
		})),
		checked(parseBilletwebTickets, each(func(tk *bwTicket) error {
			if tk.ID == "" || tk.Name == "" || !tk.Price.set || !tk.Commission.set {
				return broken("ticket fields missing: %+v", *tk)
			}
			return errors.Join(amount("price", tk.Price.v), amount("tax", tk.Tax.v), amount("commission", tk.Commission.v))
		})))
}

func FuzzParseHelloAsso(f *testing.F) {
	fuzzParsers(f, []string{
		`{"access_token":"at-1","expires_in":1800,"refresh_token":"rt-1","token_type":"bearer"}`,
		`[{"organizationSlug":"asso-theatre","name":"Asso Théâtre","role":"OrganizationAdmin"}]`,
		`{"data":[{"formSlug":"spectacle-juin"}],"pagination":{"pageSize":100,"totalPages":1,"continuationToken":"tok-o1"}}`,
		`{"data":[{"tierId":501,"amount":2000}],"pagination":{"pageSize":100,"totalPages":1,"continuationToken":"tok-i1"}}`,
		`{"formSlug":"s","title":"T","currency":"EUR","startDate":"2025-06-20T20:00:00+02:00","endDate":null,"tiers":[{"id":501,"tierType":"Registration","price":2000,"vatRate":5.5}]}`,
	},
		checked(parseHelloAssoToken, func(tk haToken) error {
			if tk.AccessToken == "" || tk.RefreshToken == "" || tk.ExpiresIn == nil || *tk.ExpiresIn < 0 {
				return broken("token fields missing: %+v", tk)
			}
			return nil
		}),
		checked(parseHelloAssoOrganizations, each(func(o *haOrganization) error {
			if o.OrganizationSlug == "" {
				return broken("organization without slug")
			}
			return nil
		})),
		checked(parseHelloAssoOrders, func(p haPage[haOrder, *haOrder]) error {
			if p.Data == nil || p.Pagination == nil {
				return broken("page without data or pagination")
			}
			return each(func(o *haOrder) error {
				if o.FormSlug == "" {
					return broken("order without formSlug")
				}
				return nil
			})(p.Data)
		}),
		checked(parseHelloAssoItems, func(p haPage[haItem, *haItem]) error {
			if p.Data == nil || p.Pagination == nil {
				return broken("page without data or pagination")
			}
			return each(func(i *haItem) error {
				if i.TierID == 0 || i.Amount == nil {
					return broken("item without tier or amount")
				}
				return amount("amount", i.Amount.v)
			})(p.Data)
		}),
		checked(parseHelloAssoForm, func(form haForm) error {
			if form.FormSlug == "" || form.Title == "" {
				return broken("form without slug or title")
			}
			return each(func(tier *haTier) error {
				var price error
				if tier.Price != nil {
					price = amount("price", tier.Price.v)
				}
				return errors.Join(price, amount("vatRate", tier.VatRate.v))
			})(form.Tiers)
		}))
}

// collection checks what every Mapado collection accepted holds.
func collection[T any, PT interface {
	*T
	validator
}](holds func(*T) error) func(mpCollection[T, PT]) error {
	return func(c mpCollection[T, PT]) error {
		if c.TotalItems == nil || c.Member == nil || *c.TotalItems > mapadoMaxTotal {
			return broken("collection without a bounded total or members")
		}
		return each(holds)(c.Member)
	}
}

func FuzzParseMapado(f *testing.F) {
	fuzzParsers(f, []string{
		`{"hydra:totalItems":1,"hydra:member":[{"@id":"/v1/tickets/1","eventDate":"/v1/event_dates/3001","updatedAt":"2025-05-01T10:00:00+02:00"}]}`,
		`{"hydra:totalItems":1,"hydra:member":[{"@id":"/v1/event_dates/3001","ticketing":"/v1/ticketings/700"}]}`,
		`{"hydra:totalItems":1,"hydra:member":[{"@id":"/v1/ticketings/700","type":"dated_events","title":"Le Cid","currency":"EUR","eventDateList":["/v1/event_dates/3001"],"venue":{"countryCode":"FR"}}]}`,
		`{"hydra:totalItems":1,"hydra:member":[{"@id":"/v1/event_dates/3002","startDate":"2025-06-02T20:00:00+02:00","endDate":null,"ticketPriceList":[{"@id":"/v1/ticket_prices/83","currency":"EUR","facialValue":2500,"tax":{"rate":0.055,"countryCode":null}}]}]}`,
		`{"hydra:totalItems":1,"hydra:member":[{"@id":"/v1/tickets/3","status":"payed","facialValue":null,"ticketPrice":"/v1/ticket_prices/83","eventDate":"/v1/event_dates/3002","isValid":true,"imported":false}],"hydra:nextPage":"/v1/tickets?page=2"}`,
	},
		checked(parseMapadoChangedTickets, collection(func(tk *mpChangedTicket) error {
			if !mapadoEventDateIRI.MatchString(tk.EventDate) || !tk.UpdatedAt.valid {
				return broken("changed ticket without event date or update time")
			}
			return nil
		})),
		checked(parseMapadoTicketUpdates, collection(func(tk *mpTicketUpdate) error {
			if !tk.UpdatedAt.valid {
				return broken("ticket without update time")
			}
			return nil
		})),
		checked(parseMapadoDateTicketings, collection(func(d *mpDateTicketing) error {
			if !mapadoTicketingIRI.MatchString(d.Ticketing) {
				return broken("event date without ticketing")
			}
			return nil
		})),
		checked(parseMapadoTicketings, collection(func(tk *mpTicketing) error {
			if !mapadoTicketingIRI.MatchString(tk.ID) || !strings.EqualFold(tk.Currency, "EUR") || tk.EventDateList == nil {
				return broken("ticketing without id, EUR or date list")
			}
			return nil
		})),
		checked(parseMapadoEventDates, collection(func(d *mpEventDate) error {
			return each(func(p *mpPrice) error {
				if p.FacialValue == nil || p.Tax == nil || !p.Tax.Rate.set {
					return broken("price without facial value or tax rate")
				}
				return errors.Join(amount("facialValue", p.FacialValue.v), amount("tax.rate", p.Tax.Rate.v))
			})(d.TicketPriceList)
		})),
		checked(parseMapadoTickets, collection(func(tk *mpTicket) error {
			if tk.Imported == nil || !mapadoEventDateIRI.MatchString(tk.EventDate) {
				return broken("ticket without imported flag or event date")
			}
			return nil
		})))
}

func FuzzParseShotgun(f *testing.F) {
	fuzzParsers(f, []string{
		`{"query":{},"pagination":{"next":null,"totalResults":3,"totalPages":1},"data":[{"currency":"eur","event_id":42,"ticket_id":880001,"ticket_price":10,"vat_rate":0.055,"ticket_status":"valid"}]}`,
		`{"data":[{"id":42,"name":"Techno Night","startTime":"2025-07-05T22:00:00.000Z","endTime":"2025-07-06T04:00:00.000Z"}]}`,
	},
		checked(parseShotgunTickets, func(l sgTickets) error {
			if l.Pagination == nil || l.Data == nil {
				return broken("tickets without pagination or data")
			}
			return each(func(tk *sgTicket) error {
				if !strings.EqualFold(tk.Currency, "EUR") || !tk.TicketPrice.set || !tk.VatRate.set {
					return broken("ticket without eur, price or rate")
				}
				return errors.Join(amount("ticket_price", tk.TicketPrice.v), amount("vat_rate", tk.VatRate.v))
			})(l.Data)
		}),
		checked(parseShotgunEvents, func(l sgEvents) error {
			if l.Data == nil {
				return broken("events without data")
			}
			return each(func(e *sgEvent) error {
				if e.ID == 0 || !e.StartTime.valid || !e.EndTime.valid {
					return broken("event without id or times")
				}
				return nil
			})(l.Data)
		}))
}

func FuzzParseSupersoniks(f *testing.F) {
	fuzzParsers(f, []string{
		`{"success":true,"messages":[],"total":1,"data":[{"session":{"id":501,"start_date":1751392800,"end_date":0,"multisession":{"multisession_id":77,"title":"Tournée"},"settings":{"tax":{"rate":0.055},"duration":120},"edito":{"title":"L"},"entity_type":"event"},"internals_prices":[{"amount":-10,"quantity":0,"revenue":-10,"title":""}],"externals_prices":[]}]}`,
		`{"success":false,"messages":[{"content":"Bearer token expired/invalid"}],"data":null}`,
	},
		checked(parseSupersoniksClosing, func(c ssClosing) error {
			if c.Success == nil || !*c.Success || c.Data == nil {
				return broken("closing not successful or without data")
			}
			return each(func(s *ssStatement) error {
				if s.Session == nil || s.Session.Settings.Tax == nil || s.Session.StartDate <= 0 {
					return broken("statement without session, tax or start")
				}
				for _, p := range slices.Concat(s.InternalsPrices, s.ExternalsPrices) {
					if p.Amount == nil || p.Revenue == nil || p.Quantity == nil || *p.Quantity < 0 {
						return broken("price line without amount, revenue or quantity ≥ 0")
					}
				}
				return amount("tax.rate", s.Session.Settings.Tax.Rate.v)
			})(c.Data)
		}))
}

// FuzzParseScalars decodes one JSON value into each lenient scalar type the way the parsers do
// (through encoding/json): what is accepted is set, and numbers are bounded.
func FuzzParseScalars(f *testing.F) {
	for _, s := range []string{`"1"`, `0`, `"true"`, `"21.00"`, `false`, `null`, `"2025-03-01 20:30:00"`, `"0000-00-00 00:00:00"`, `1e999999999`, `"-0.5"`, `1e9999`, `"1E-9999"`, `0e70`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var b boolish
		if json.Unmarshal(data, &b) == nil && !b.set {
			t.Fatalf("boolish accepted %q without being set", data)
		}
		var n numish
		if json.Unmarshal(data, &n) == nil {
			if !n.set {
				t.Fatalf("numish accepted %q without being set", data)
			}
			if err := bounded(n.v); err != nil {
				t.Fatalf("numish accepted %q: %v", data, err)
			}
		}
		var m number
		if json.Unmarshal(data, &m) == nil {
			if !m.set || len(data) > 0 && data[0] == '"' {
				t.Fatalf("number accepted %q (set %v)", data, m.set)
			}
			if err := bounded(m.v); err != nil {
				t.Fatalf("number accepted %q: %v", data, err)
			}
		}
		var c bwCommission
		if json.Unmarshal(data, &c) == nil && !c.set {
			t.Fatalf("commission accepted %q without being set", data)
		}
		var i isoTime
		if json.Unmarshal(data, &i) == nil && string(data) != "null" && (!i.valid || i.t.Location() != time.UTC) {
			t.Fatalf("date %q accepted as %+v", data, i)
		}
		if at, err := parseParisWallClock(string(data)); err == nil && at != nil && at.Location() != time.UTC {
			t.Fatalf("wall clock %q gave %v, not in UTC", data, at)
		}
	})
}

// bounded checks a number is small enough for exact arithmetic (sign aside).
func bounded(d decimal.Decimal) error { return amount("number", d.Abs()) }

// FuzzTally counts tickets at two prices and one rate, the way every connector does: totals
// are never negative, excluding taxes never exceeds including taxes, and every ticket is
// counted once, as free or paid.
func FuzzTally(f *testing.F) {
	f.Add(int64(2100), int64(0), uint16(550), uint8(4))
	f.Add(int64(1), int64(3), uint16(2000), uint8(255))
	f.Add(int64(999999999999), int64(5), uint16(0), uint8(7))
	f.Fuzz(func(t *testing.T, aCents, bCents int64, rateBasisPoints uint16, tickets uint8) {
		prices := []decimal.Decimal{cents(decimal.NewFromInt(aCents)), cents(decimal.NewFromInt(bCents))}
		rate := decimal.New(int64(rateBasisPoints), -4)
		var tl tally
		for i := range int(tickets) {
			// Connectors clamp prices at 0 before counting them.
			tl.add(decimal.Max(prices[i%2], decimal.Zero), rate)
		}
		e := tl.event("e", time.Unix(0, 0), nil, decimal.NewNullDecimal(rate))
		if e.RevenueIncludingTaxes.IsNegative() || e.RevenueExcludingTaxes.IsNegative() {
			t.Fatalf("negative revenue: %+v", e)
		}
		if e.RevenueExcludingTaxes.GreaterThan(e.RevenueIncludingTaxes) {
			t.Fatalf("excluding taxes %s > including taxes %s", e.RevenueExcludingTaxes, e.RevenueIncludingTaxes)
		}
		if rate.IsZero() && !e.RevenueExcludingTaxes.Equal(e.RevenueIncludingTaxes) {
			t.Fatalf("at 0 %% excluding taxes %s != including taxes %s", e.RevenueExcludingTaxes, e.RevenueIncludingTaxes)
		}
		if e.FreeTickets < 0 || e.PaidTickets < 0 || e.FreeTickets+e.PaidTickets != int(tickets) {
			t.Fatalf("%d tickets counted as %d free + %d paid", tickets, e.FreeTickets, e.PaidTickets)
		}
	})
}
