package ticketing

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/derrors"
)

// billetweb is the Billetweb connector (rule C2, docs/decisions.md, which names its calls
// B1–B5: the comments here and in the tests refer to them).
type billetweb struct {
	r     *remote
	base  string
	creds Credentials
	now   func() time.Time
}

func newBilletweb(creds Credentials, cfg Config) *billetweb {
	r := newRemote(Billetweb, cfg, creds.AccessKey, creds.SecretKey)
	r.classify = classifyBilletweb
	return &billetweb{r: r, base: cfg.BilletwebBaseURL, creds: creds, now: cfg.Now}
}

// classifyBilletweb recognises Billetweb's global rate limiter, which behaves like a firewall:
// retrying makes it worse, so it is not reported as a retryable 429.
func classifyBilletweb(status int, body []byte) ErrorCode {
	if (status < 200 || status > 299) && bytes.Contains(body, []byte(`"error": "rate_limiting",`)) {
		return CodeFirewall
	}
	return ""
}

// url puts the authentication first, in the order Billetweb documents.
func (b *billetweb) url(path string, q query) string {
	auth := query{{"user", b.creds.AccessKey}, {"key", b.creds.SecretKey}, {"version", "1"}}
	return withQuery(b.base, path, append(auth, q...))
}

// bwAttendee is an item of /attendees (B1, with event) and /event/{id}/attendees (B5).
type bwAttendee struct {
	Event            string  `json:"event"`
	TicketID         string  `json:"ticket_id"`
	Price            numish  `json:"price"`
	Disabled         boolish `json:"disabled"`
	OrderPaymentType *string `json:"order_payment_type"` // "" happens for free tickets
	OrderSession     *string `json:"order_session"`
}

func (a *bwAttendee) validate() error {
	var c checks
	c.need(a.TicketID != "", "ticket_id missing")
	c.need(a.Price.set && !a.Price.v.IsNegative(), "price must be ≥ 0")
	c.need(a.Disabled.set, "disabled missing")
	c.need(a.OrderPaymentType != nil, "order_payment_type missing")
	c.need(a.OrderSession != nil, "order_session missing")
	return c.err()
}

// bwEvent is an item of /events (B2); Start/End are nil for the zero-date placeholder.
type bwEvent struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	StartRaw string  `json:"start"`
	EndRaw   string  `json:"end"`
	Multiple boolish `json:"multiple"`
	TaxRate  numish  `json:"tax_rate"`
	start    *time.Time
	end      *time.Time
}

func (e *bwEvent) validate() error {
	var c checks
	c.need(e.ID != "", "id missing")
	c.need(e.Name != "", "name missing")
	c.need(e.Multiple.set, "multiple missing")
	c.need(e.TaxRate.set && !e.TaxRate.v.IsNegative(), "tax_rate must be ≥ 0")
	var err error
	e.start, err = parseParisWallClock(e.StartRaw)
	c.need(err == nil, "start: %v", err)
	e.end, err = parseParisWallClock(e.EndRaw)
	c.need(err == nil, "end: %v", err)
	return c.err()
}

// bwDate is an item of /event/{id}/dates (B3).
type bwDate struct {
	ID       string `json:"id"`
	StartRaw string `json:"start"`
	EndRaw   string `json:"end"`
	start    *time.Time
	end      *time.Time
}

func (d *bwDate) validate() error {
	var c checks
	c.need(d.ID != "", "id missing")
	var err error
	d.start, err = parseParisWallClock(d.StartRaw)
	c.need(err == nil && d.start != nil, "start must be a date")
	d.end, err = parseParisWallClock(d.EndRaw)
	c.need(err == nil, "end: %v", err)
	return c.err()
}

// bwCommission is a JSON number ≥ 0 or the literal false (meaning 0).
type bwCommission struct {
	v   decimal.Decimal
	set bool
}

// UnmarshalJSON accepts false or a number.
func (m *bwCommission) UnmarshalJSON(data []byte) error {
	if string(data) == "false" {
		*m = bwCommission{set: true}
		return nil
	}
	d, err := parseNumber(data)
	if err != nil {
		return err
	}
	*m = bwCommission{v: d, set: true}
	return nil
}

// bwTax is "" or null (no category rate) or a num-ish percentage.
type bwTax struct{ numish }

// UnmarshalJSON maps "" and null to "not set".
func (t *bwTax) UnmarshalJSON(data []byte) error {
	if s := string(data); s == `""` || s == "null" {
		*t = bwTax{}
		return nil
	}
	return t.numish.UnmarshalJSON(data)
}

// bwTicket is an item of /event/{id}/tickets (B4).
type bwTicket struct {
	ID         string       `json:"id"`
	Name       string       `json:"name"`
	Price      number       `json:"price"`
	Tax        bwTax        `json:"tax"`
	Commission bwCommission `json:"commission"`
}

func (t *bwTicket) validate() error {
	var c checks
	c.need(t.ID != "", "id missing")
	c.need(t.Name != "", "name missing")
	c.need(t.Price.set && !t.Price.v.IsNegative(), "price must be a number ≥ 0")
	c.need(!t.Tax.v.IsNegative(), "tax must be ≥ 0")
	c.need(t.Commission.set && !t.Commission.v.IsNegative(), "commission must be false or a number ≥ 0")
	return c.err()
}

// bwError is the object Billetweb answers with status 200 when the key cannot do something.
type bwError struct {
	Error       string `json:"error"`
	Description string `json:"description"`
}

// parseBilletwebAttendees parses B1/B5. A key restricted to some events is answered with a 200
// error object; it gets its own code so the user learns how to fix the key.
func parseBilletwebAttendees(body []byte) ([]bwAttendee, error) {
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' {
		var e bwError
		if err := json.Unmarshal(trimmed, &e); err != nil || e.Error == "" {
			return nil, fmt.Errorf("expected an array of attendees")
		}
		code := CodeHTTPError
		switch {
		case e.Error == "unauthorized" && strings.Contains(e.Description, "limited rights to specific events"):
			code = CodeRestrictedKey
		case e.Error == "unauthorized":
			code = CodeUnauthorized
		}
		return nil, &RemoteError{Code: code, Status: http.StatusOK, Excerpt: excerpt(trimmed, nil), Message: e.Error}
	}
	return decodeList[bwAttendee](body)
}

func parseBilletwebEvents(body []byte) ([]bwEvent, error)   { return decodeList[bwEvent](body) }
func parseBilletwebDates(body []byte) ([]bwDate, error)     { return decodeList[bwDate](body) }
func parseBilletwebTickets(body []byte) ([]bwTicket, error) { return decodeList[bwTicket](body) }

func (b *billetweb) attendees(ctx context.Context, path string, q query) ([]bwAttendee, error) {
	return getJSON(ctx, b.r, get(b.url(path, q)), parseBilletwebAttendees)
}

// TestConnection asks for the attendees changed since now: cheap, and it reveals restricted keys.
func (b *billetweb) TestConnection(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "ticketing: test the Billetweb connection")
	_, err = b.attendees(ctx, "/attendees", query{{"last_update", unix(b.now())}})
	return err
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// FetchSeries follows the algorithm of rule C2 (docs/decisions.md).
func (b *billetweb) FetchSeries(ctx context.Context, from, to time.Time) (_ []Serie, err error) {
	defer derrors.Wrap(&err, "ticketing: fetch the Billetweb series changed from %s", from)
	q := query{{"last_update", unix(from)}}
	if !to.IsZero() {
		q = q.add("to", unix(to))
	}
	changed, err := b.attendees(ctx, "/attendees", q)
	if err != nil {
		return nil, err
	}
	ids := firstSeen(changed, func(a bwAttendee) string { return a.Event })
	if len(ids) == 0 {
		return nil, nil
	}
	events, err := getJSON(ctx, b.r, get(b.url("/events", query{{"past", "1"}})), parseBilletwebEvents)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*bwEvent, len(events))
	for i := range events {
		byID[events[i].ID] = &events[i]
	}
	var series []Serie
	for _, id := range ids {
		if err := b.r.wait(ctx); err != nil {
			return nil, err
		}
		serie, ok, err := b.serie(ctx, id, byID[id])
		if err != nil {
			return nil, err
		}
		if ok {
			series = append(series, serie)
		}
	}
	return series, nil
}

func (b *billetweb) inconsistent(format string, args ...any) error {
	return &RemoteError{System: Billetweb, Code: CodeInconsistentData, Message: fmt.Sprintf(format, args...)}
}

// serie computes one event serie; ok is false for the pre-2018 events without dates.
func (b *billetweb) serie(ctx context.Context, id string, ev *bwEvent) (_ Serie, ok bool, _ error) {
	if ev == nil {
		return Serie{}, false, b.inconsistent("event %s has attendees but is not listed in /events", id)
	}
	if ev.start == nil || ev.end == nil {
		return Serie{}, false, nil
	}
	path := "/event/" + id
	dates, err := getJSON(ctx, b.r, get(b.url(path+"/dates", query{{"past", "1"}})), parseBilletwebDates)
	if err != nil {
		return Serie{}, false, err
	}
	rate := decimal.NewNullDecimal(percent(ev.TaxRate.v))
	type session struct {
		start time.Time
		end   *time.Time
		tally tally
	}
	var order []string
	sessions := map[string]*session{}
	if ev.Multiple.v {
		for _, d := range dates {
			order = append(order, d.ID)
			sessions[d.ID] = &session{start: *d.start, end: d.end}
		}
	} else {
		if len(dates) > 0 {
			return Serie{}, false, b.inconsistent("event %s is not multiple but has sessions", id)
		}
		fallback := "fallback_" + id + "_0"
		order = []string{fallback}
		sessions[fallback] = &session{start: *ev.start, end: ev.end}
	}

	tickets, err := getJSON(ctx, b.r, get(b.url(path+"/tickets", nil)), parseBilletwebTickets)
	if err != nil {
		return Serie{}, false, err
	}
	type category struct{ rate, commission decimal.Decimal }
	categories := make(map[string]category, len(tickets))
	for _, t := range tickets {
		r := ev.TaxRate.v
		if t.Tax.set {
			r = t.Tax.v
		}
		categories[t.ID] = category{rate: percent(r), commission: t.Commission.v}
	}

	attendees, err := b.attendees(ctx, path+"/attendees", nil)
	if err != nil {
		return Serie{}, false, err
	}
	for _, a := range attendees {
		if a.Disabled.v {
			continue
		}
		key := *a.OrderSession
		if key == "0" {
			key = "fallback_" + id + "_0"
		}
		s, ok := sessions[key]
		if !ok {
			return Serie{}, false, b.inconsistent("a sold ticket should always match an existing event (event %s, session %s)", id, key)
		}
		cat, ok := categories[a.TicketID]
		if !ok {
			return Serie{}, false, b.inconsistent("a sold ticket should always match a ticket category (event %s, ticket %s)", id, a.TicketID)
		}
		price := a.Price.v
		// Billetweb adds its commission to online paid orders only; the declared price excludes it.
		if *a.OrderPaymentType == "web" {
			price = price.Sub(cat.commission)
		}
		s.tally.add(decimal.Max(price, decimal.Zero), cat.rate)
	}

	serie := Serie{RemoteID: ev.ID, Name: ev.Name, Events: []Event{}}
	for _, key := range order {
		s := sessions[key]
		serie.Events = append(serie.Events, s.tally.event(key, s.start, s.end, rate))
	}
	return serie, true, nil
}
