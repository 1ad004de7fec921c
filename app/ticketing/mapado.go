package ticketing

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/derrors"
)

// mapado is the Mapado connector (rule C4 and decision T7, docs/decisions.md).
type mapado struct {
	r      *remote
	base   string
	header http.Header
	now    func() time.Time
}

const (
	// mapadoTicketPage is the page size of ticket lists; other collections are asked for at once.
	mapadoTicketPage = "10000"
	mapadoUnpaged    = "100000000"
	// mapadoMaxTotal is what mapadoUnpaged can hold; a larger collection would be silently cut.
	mapadoMaxTotal = 100000000
	// mapadoChunk keeps URLs under Mapado's length limit (400/414 seen with more ids).
	mapadoChunk = 500
)

var (
	mapadoEventDateIRI = regexp.MustCompile(`^/v1/event_dates/(\d+)$`)
	mapadoTicketingIRI = regexp.MustCompile(`^/v1/ticketings/(\d+)$`)
)

func newMapado(creds Credentials, cfg Config) *mapado {
	return &mapado{r: newRemote(Mapado, cfg, creds.SecretKey), base: cfg.MapadoBaseURL,
		header: http.Header{"Authorization": {"Bearer " + creds.SecretKey}}, now: cfg.Now}
}

// mpCollection is a Hydra collection; its total is checked because unpaged requests rely on it.
type mpCollection[T any, PT interface {
	*T
	validator
}] struct {
	TotalItems *int   `json:"hydra:totalItems"`
	Member     []T    `json:"hydra:member"`
	NextPage   string `json:"hydra:nextPage"`
}

func (c *mpCollection[T, PT]) validate() error {
	if c.TotalItems == nil || c.Member == nil {
		return fmt.Errorf("hydra:totalItems and hydra:member are required")
	}
	if *c.TotalItems > mapadoMaxTotal {
		return &RemoteError{Code: CodeInconsistentData, Message: "our workaround to avoid handling pagination logic seems to not fit a specific case"}
	}
	return validateAll[T, PT](c.Member)
}

type mpChangedTicket struct {
	EventDate string  `json:"eventDate"`
	UpdatedAt isoTime `json:"updatedAt"`
}

func (t *mpChangedTicket) validate() error {
	var c checks
	c.need(mapadoEventDateIRI.MatchString(t.EventDate), "eventDate must be an event date IRI")
	c.need(t.UpdatedAt.valid, "updatedAt must be a date")
	return c.err()
}

// mpTicketUpdate is a ticket as the connection test asks for it: its update time alone (Mapado
// returns only the fields asked for).
type mpTicketUpdate struct {
	UpdatedAt isoTime `json:"updatedAt"`
}

func (t *mpTicketUpdate) validate() error {
	var c checks
	c.need(t.UpdatedAt.valid, "updatedAt must be a date")
	return c.err()
}

type mpDateTicketing struct {
	Ticketing string `json:"ticketing"`
}

func (d *mpDateTicketing) validate() error {
	var c checks
	c.need(mapadoTicketingIRI.MatchString(d.Ticketing), "ticketing must be a ticketing IRI")
	return c.err()
}

type mpTicketing struct {
	ID            string   `json:"@id"`
	Type          string   `json:"type"`
	Title         string   `json:"title"`
	Currency      string   `json:"currency"`
	EventDateList []string `json:"eventDateList"`
	Venue         *struct {
		CountryCode *string `json:"countryCode"`
	} `json:"venue"`
}

func (t *mpTicketing) validate() error {
	var c checks
	c.need(mapadoTicketingIRI.MatchString(t.ID), "@id must be a ticketing IRI")
	c.need(t.Type == "dated_events" || t.Type == "undated_event" || t.Type == "offer", "unknown type %q", t.Type)
	c.need(t.Title != "", "title missing")
	c.euro(t.Currency, "ticketing "+t.ID)
	c.need(t.EventDateList != nil, "eventDateList missing")
	for _, iri := range t.EventDateList {
		c.need(mapadoEventDateIRI.MatchString(iri), "eventDateList must hold event date IRIs")
	}
	return c.err()
}

// french tells whether a country code designates France; Mapado gives Corsica its own code and
// often no code at all.
func french(code *string) bool {
	return code == nil || *code == "" || *code == "FR" || *code == "CORSE"
}

type mpPrice struct {
	ID          string  `json:"@id"`
	Currency    string  `json:"currency"`
	FacialValue *number `json:"facialValue"`
	Tax         *struct {
		Rate        number  `json:"rate"`
		CountryCode *string `json:"countryCode"`
	} `json:"tax"`
}

type mpEventDate struct {
	ID              string    `json:"@id"`
	StartDate       isoTime   `json:"startDate"`
	EndDate         isoTime   `json:"endDate"`
	StartOfEventDay isoTime   `json:"startOfEventDay"`
	TicketPriceList []mpPrice `json:"ticketPriceList"`
}

func (d *mpEventDate) validate() error {
	var c checks
	c.need(mapadoEventDateIRI.MatchString(d.ID), "@id must be an event date IRI")
	c.need(d.TicketPriceList != nil, "ticketPriceList missing")
	for _, p := range d.TicketPriceList {
		c.need(p.ID != "", "price @id missing")
		c.euro(p.Currency, "price "+p.ID)
		c.need(p.FacialValue != nil && !p.FacialValue.v.IsNegative(), "price facialValue must be ≥ 0")
		c.need(p.Tax != nil && p.Tax.Rate.set && !p.Tax.Rate.v.IsNegative(), "price tax.rate must be ≥ 0")
	}
	return c.err()
}

type mpTicket struct {
	Status      string  `json:"status"`
	FacialValue *number `json:"facialValue"` // cents, may be null or even negative
	TicketPrice *string `json:"ticketPrice"`
	EventDate   string  `json:"eventDate"`
	Imported    *bool   `json:"imported"`
}

func (t *mpTicket) validate() error {
	var c checks
	switch t.Status {
	case "payed", "refunded", "booked", "cancelled":
	default:
		c.need(false, "unknown status %q", t.Status)
	}
	c.need(mapadoEventDateIRI.MatchString(t.EventDate), "eventDate must be an event date IRI")
	c.need(t.Imported != nil, "imported missing")
	return c.err()
}

func parseMapadoChangedTickets(body []byte) (mpCollection[mpChangedTicket, *mpChangedTicket], error) {
	return decode[mpCollection[mpChangedTicket, *mpChangedTicket]](body)
}
func parseMapadoTicketUpdates(body []byte) (mpCollection[mpTicketUpdate, *mpTicketUpdate], error) {
	return decode[mpCollection[mpTicketUpdate, *mpTicketUpdate]](body)
}
func parseMapadoDateTicketings(body []byte) (mpCollection[mpDateTicketing, *mpDateTicketing], error) {
	return decode[mpCollection[mpDateTicketing, *mpDateTicketing]](body)
}
func parseMapadoTicketings(body []byte) (mpCollection[mpTicketing, *mpTicketing], error) {
	return decode[mpCollection[mpTicketing, *mpTicketing]](body)
}
func parseMapadoEventDates(body []byte) (mpCollection[mpEventDate, *mpEventDate], error) {
	return decode[mpCollection[mpEventDate, *mpEventDate]](body)
}
func parseMapadoTickets(body []byte) (mpCollection[mpTicket, *mpTicket], error) {
	return decode[mpCollection[mpTicket, *mpTicket]](body)
}

func (m *mapado) get(path string, q query) request {
	return request{method: http.MethodGet, url: withQuery(m.base, path, q), header: m.header}
}

// mpTickets pages through a ticket list (hydra:nextPage marks more pages).
func mpTickets[T any, PT interface {
	*T
	validator
}](ctx context.Context, m *mapado, q query, parse func([]byte) (mpCollection[T, PT], error)) ([]T, error) {
	return paginate(ctx, Mapado, "/v1/tickets", 1, func(ctx context.Context, n int) (page[int, T], error) {
		pq := append(q[:len(q):len(q)], query{{"itemsPerPage", mapadoTicketPage}, {"page", strconv.Itoa(n)}}...)
		c, err := getJSON(ctx, m.r, m.get("/v1/tickets", pq), parse)
		return page[int, T]{items: c.Member, next: n + 1, more: c.NextPage != ""}, err
	})
}

// chunked fetches an unpaged collection by @id lists of at most mapadoChunk short ids.
func chunked[T any, PT interface {
	*T
	validator
}](ctx context.Context, m *mapado, path string, ids []string, fields string, parse func([]byte) (mpCollection[T, PT], error)) ([]T, error) {
	var all []T
	for start := 0; start < len(ids); start += mapadoChunk {
		part := ids[start:min(start+mapadoChunk, len(ids))]
		c, err := getJSON(ctx, m.r, m.get(path, query{{"@id", strings.Join(part, ",")}, {"itemsPerPage", mapadoUnpaged}, {"fields", fields}}), parse)
		if err != nil {
			return nil, err
		}
		all = append(all, c.Member...)
	}
	return all, nil
}

// shortID strips an IRI to its numeric id: full IRIs made URLs too long for Mapado.
func shortID(re *regexp.Regexp, iri string) string {
	if m := re.FindStringSubmatch(iri); m != nil {
		return m[1]
	}
	return ""
}

// TestConnection lists at most one ticket updated since now.
func (m *mapado) TestConnection(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "ticketing: test the Mapado connection")
	_, err = getJSON(ctx, m.r, m.get("/v1/tickets", query{{"user", "me"}, {"updatedSince", isoMillis(m.now())},
		{"itemsPerPage", "1"}, {"fields", "updatedAt"}}), parseMapadoTicketUpdates)
	return err
}

// FetchSeries follows the algorithm of rule C4 (docs/decisions.md).
func (m *mapado) FetchSeries(ctx context.Context, from, to time.Time) (_ []Serie, err error) {
	defer derrors.Wrap(&err, "ticketing: fetch the Mapado series changed from %s", from)
	changed, err := mpTickets(ctx, m, query{{"user", "me"}, {"updatedSince", isoMillis(from)}, {"fields", "eventDate,updatedAt"}}, parseMapadoChangedTickets)
	if err != nil {
		return nil, err
	}
	var dateIDs []string
	for _, iri := range firstSeen(changed, func(t mpChangedTicket) string {
		if !to.IsZero() && !t.UpdatedAt.t.Before(to) {
			return "" // the API has no upper bound: the test-only one is applied here
		}
		return t.EventDate
	}) {
		if iri != "" {
			dateIDs = append(dateIDs, shortID(mapadoEventDateIRI, iri))
		}
	}
	if len(dateIDs) == 0 {
		return nil, nil
	}
	dates, err := chunked(ctx, m, "/v1/event_dates", dateIDs, "ticketing", parseMapadoDateTicketings)
	if err != nil {
		return nil, err
	}
	var ticketingIDs []string
	for _, iri := range firstSeen(dates, func(d mpDateTicketing) string { return d.Ticketing }) {
		ticketingIDs = append(ticketingIDs, shortID(mapadoTicketingIRI, iri))
	}
	ticketings, err := chunked(ctx, m, "/v1/ticketings", ticketingIDs, "type,title,eventDateList,currency,venue{countryCode}", parseMapadoTicketings)
	if err != nil {
		return nil, err
	}
	var series []Serie
	for _, t := range ticketings {
		// Subscriptions, offers and shows abroad are not declared.
		if t.Type != "dated_events" || (t.Venue != nil && !french(t.Venue.CountryCode)) {
			continue
		}
		serie, err := m.serie(ctx, t)
		if err != nil {
			return nil, err
		}
		series = append(series, serie)
	}
	return series, nil
}

func (m *mapado) inconsistent(format string, args ...any) error {
	return &RemoteError{System: Mapado, Code: CodeInconsistentData, Message: fmt.Sprintf(format, args...)}
}

func (m *mapado) serie(ctx context.Context, t mpTicketing) (Serie, error) {
	serie := Serie{RemoteID: shortID(mapadoTicketingIRI, t.ID), Name: t.Title, Events: []Event{}}
	if len(t.EventDateList) == 0 {
		return serie, nil
	}
	ids := make([]string, len(t.EventDateList))
	for i, iri := range t.EventDateList {
		ids[i] = shortID(mapadoEventDateIRI, iri)
	}
	dates, err := chunked(ctx, m, "/v1/event_dates", ids, "@id,startDate,endDate,startOfEventDay,ticketPriceList{@id,id,type,name,description,currency,facialValue,tax{rate,countryCode},valueIncvat}", parseMapadoEventDates)
	if err != nil {
		return Serie{}, err
	}
	type category struct{ rate, amount decimal.Decimal }
	type session struct {
		date  mpEventDate
		start time.Time
		rate  decimal.NullDecimal
		tally tally
	}
	prices := map[string]category{}
	sessions := map[string]*session{}
	skipped := map[string]bool{}
	var order []string
	for _, d := range dates {
		var entries []rateEntry
		for _, p := range d.TicketPriceList {
			if !french(p.Tax.CountryCode) {
				return Serie{}, &RemoteError{System: Mapado, Code: CodeForeignTaxRate, Argument: *p.Tax.CountryCode,
					Message: fmt.Sprintf("price %s of ticketing %s is taxed in %s", p.ID, serie.RemoteID, *p.Tax.CountryCode)}
			}
			amount := cents(p.FacialValue.v)
			prices[p.ID] = category{rate: p.Tax.Rate.v, amount: amount}
			entries = append(entries, rateEntry{rate: p.Tax.Rate.v, free: amount.IsZero()})
		}
		start := d.StartDate
		if !start.valid {
			start = d.StartOfEventDay
		}
		if !start.valid {
			skipped[d.ID] = true // Decision T7 (docs/decisions.md): a date without start is skipped alone
			continue
		}
		// Decision T7 (docs/decisions.md): the indicative rate of a date uses that date's prices only.
		sessions[d.ID] = &session{date: d, start: start.t, rate: indicativeRate(entries)}
		order = append(order, d.ID)
	}

	tickets, err := mpTickets(ctx, m, query{{"user", "me"}, {"ticketing", t.ID},
		{"fields", "@id,status,facialValue,ticketPrice,eventDate,isValid,imported"}}, parseMapadoTickets)
	if err != nil {
		return Serie{}, err
	}
	for _, tk := range tickets {
		if tk.Status != "payed" {
			continue
		}
		if skipped[tk.EventDate] {
			serie.warn(WarningUndatedTickets) // decision T7: skipped, but the run says so
			continue
		}
		if tk.TicketPrice == nil {
			if *tk.Imported {
				continue // imported tickets carry no price
			}
			return Serie{}, m.inconsistent(`a ticket has no "ticketPrice" whereas it has not been manually imported mapado, this should be investigated`)
		}
		cat, ok := prices[*tk.TicketPrice]
		if !ok {
			return Serie{}, m.inconsistent("a sold ticket should always match a ticket category (%s)", *tk.TicketPrice)
		}
		price := cat.amount
		if tk.FacialValue != nil && !tk.FacialValue.v.IsNegative() {
			price = cents(tk.FacialValue.v)
		}
		s, ok := sessions[tk.EventDate]
		if !ok {
			return Serie{}, m.inconsistent("a sold ticket should always match an existing event (%s)", tk.EventDate)
		}
		s.tally.add(price, cat.rate)
	}
	for _, id := range order {
		s := sessions[id]
		serie.Events = append(serie.Events, s.tally.event(shortID(mapadoEventDateIRI, id), s.start, s.date.EndDate.ptr(), s.rate))
	}
	return serie, nil
}
