package ticketing

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"assistant-declaration/app/derrors"
)

// shotgun is the Shotgun connector (rule C5 and decision T8, docs/decisions.md).
type shotgun struct {
	r    *remote
	base string
	auth query
	org  string
	now  func() time.Time
}

const (
	shotgunEventsPage = 50
	// shotgunMaxPages × 50 tickets is the most a synchronization fetches (25 000).
	shotgunMaxPages = 500
)

// shotgunNewTokensSince is when Shotgun switched from "token" to "key" (2025-07-01 Paris).
var shotgunNewTokensSince = time.Date(2025, 7, 1, 0, 0, 0, 0, paris)

func newShotgun(creds Credentials, cfg Config) *shotgun {
	param := "key"
	if iat, ok := jwtIssuedAt(creds.SecretKey); ok && iat.Before(shotgunNewTokensSince) {
		param = "token"
	}
	return &shotgun{r: newRemote(Shotgun, cfg, creds.SecretKey), base: cfg.ShotgunBaseURL,
		auth: query{{"organizer_id", creds.AccessKey}, {param, creds.SecretKey}}, org: creds.AccessKey, now: cfg.Now}
}

// jwtIssuedAt reads the unverified "iat" claim; anything that is not a JWT gives ok == false.
func jwtIssuedAt(token string) (time.Time, bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return time.Time{}, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return time.Time{}, false
	}
	var claims struct {
		IAT *json.Number `json:"iat"`
	}
	if json.Unmarshal(payload, &claims) != nil || claims.IAT == nil {
		return time.Time{}, false
	}
	iat, err := claims.IAT.Float64()
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(int64(iat), 0), true
}

type sgPagination struct {
	Next         *string `json:"next"`
	TotalResults *int    `json:"totalResults"`
	TotalPages   *int    `json:"totalPages"`
}

type sgTicket struct {
	Currency     string `json:"currency"`
	EventID      int64  `json:"event_id"`
	TicketID     int64  `json:"ticket_id"`
	TicketPrice  number `json:"ticket_price"` // euros, net of fees
	VatRate      number `json:"vat_rate"`     // fraction
	TicketStatus string `json:"ticket_status"`
}

func (t *sgTicket) validate() error {
	var c checks
	c.euro(t.Currency, fmt.Sprintf("ticket %d", t.TicketID))
	c.need(t.EventID != 0 && t.TicketID != 0, "event_id and ticket_id are required")
	c.need(t.TicketPrice.set && !t.TicketPrice.v.IsNegative(), "ticket_price must be ≥ 0")
	c.need(t.VatRate.set && !t.VatRate.v.IsNegative(), "vat_rate must be ≥ 0")
	switch t.TicketStatus {
	case "valid", "resold", "refunded", "canceled", "pending_organizer_approval", "rejected", "payment_plan_pending":
	default:
		c.need(false, "unknown ticket_status %q", t.TicketStatus)
	}
	return c.err()
}

type sgTickets struct {
	Pagination *sgPagination `json:"pagination"`
	Data       []sgTicket    `json:"data"`
}

func (l *sgTickets) validate() error {
	if l.Pagination == nil || l.Data == nil {
		return fmt.Errorf("pagination and data are required")
	}
	return validateAll(l.Data)
}

type sgEvent struct {
	ID        int64   `json:"id"`
	Name      string  `json:"name"`
	StartTime isoTime `json:"startTime"`
	EndTime   isoTime `json:"endTime"`
}

type sgEvents struct {
	Data []sgEvent `json:"data"`
}

func (l *sgEvents) validate() error {
	var c checks
	c.need(l.Data != nil, "data missing")
	for _, e := range l.Data {
		c.need(e.ID != 0 && e.Name != "", "event id and name are required")
		c.need(e.StartTime.valid && e.EndTime.valid, "event %d: startTime and endTime are required", e.ID)
	}
	return c.err()
}

func parseShotgunTickets(body []byte) (sgTickets, error) { return decode[sgTickets](body) }
func parseShotgunEvents(body []byte) (sgEvents, error)   { return decode[sgEvents](body) }

func (s *shotgun) get(path string, q query) request {
	return get(withQuery(s.base, path, append(s.auth[:len(s.auth):len(s.auth)], q...)))
}

// tickets follows the cursor of /tickets/sold: "true" first, then the last ticket id, pausing
// between pages as the original did.
func (s *shotgun) tickets(ctx context.Context, q query) ([]sgTicket, error) {
	return paginate(ctx, Shotgun, "/tickets/sold", "true", func(ctx context.Context, cursor string) (page[string, sgTicket], error) {
		if cursor != "true" {
			if err := s.r.wait(ctx); err != nil {
				return page[string, sgTicket]{}, err
			}
		}
		l, err := getJSON(ctx, s.r, s.get("/tickets/sold", q.add("cursor", cursor)), parseShotgunTickets)
		if err != nil || len(l.Data) == 0 {
			return page[string, sgTicket]{items: l.Data}, err
		}
		last := strconv.FormatInt(l.Data[len(l.Data)-1].TicketID, 10)
		return page[string, sgTicket]{items: l.Data, next: last, more: l.Pagination.Next != nil}, nil
	})
}

// TestConnection asks for the tickets of a window in the future: empty but authenticated.
func (s *shotgun) TestConnection(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "ticketing: test the Shotgun connection")
	future := isoMillis(s.now().AddDate(2, 0, 0))
	_, err = getJSON(ctx, s.r, s.get("/tickets/sold", query{{"after", future}, {"before", future}, {"cursor", "true"}}), parseShotgunTickets)
	return err
}

// FetchSeries follows the algorithm of rule C5 (docs/decisions.md).
func (s *shotgun) FetchSeries(ctx context.Context, from, to time.Time) (_ []Serie, err error) {
	defer derrors.Wrap(&err, "ticketing: fetch the Shotgun series changed from %s", from)
	window := query{{"after", isoMillis(from)}}
	if !to.IsZero() {
		window = window.add("before", isoMillis(to))
	}
	count, err := getJSON(ctx, s.r, s.get("/tickets/sold", window), parseShotgunTickets)
	if err != nil {
		return nil, err
	}
	if count.Pagination.TotalPages == nil {
		return nil, s.r.fail(CodeMalformedResponse, s.get("/tickets/sold", nil), http.StatusOK, nil, fmt.Errorf("totalPages missing"))
	}
	if *count.Pagination.TotalPages > shotgunMaxPages {
		return nil, &RemoteError{System: Shotgun, Code: CodeTooMuchData, Path: "/tickets/sold",
			Message: fmt.Sprintf("%d pages of tickets changed since %s", *count.Pagination.TotalPages, isoMillis(from))}
	}
	changed, err := s.tickets(ctx, window)
	if err != nil {
		return nil, err
	}
	wanted := map[int64]bool{}
	for _, t := range changed {
		wanted[t.EventID] = true
	}
	if len(wanted) == 0 {
		return nil, nil
	}
	found, err := s.events(ctx, wanted)
	if err != nil {
		return nil, err
	}
	var series []Serie
	for _, id := range firstSeen(changed, func(t sgTicket) string { return strconv.FormatInt(t.EventID, 10) }) {
		event, ok := found[id]
		if !ok {
			continue // deleted events still have tickets: nothing to declare
		}
		tickets, err := s.tickets(ctx, query{{"event_id", id}})
		if err != nil {
			return nil, err
		}
		var t tally
		entries := make([]rateEntry, 0, len(tickets))
		for _, tk := range tickets {
			entries = append(entries, rateEntry{rate: tk.VatRate.v, free: tk.TicketPrice.v.IsZero()})
			if tk.TicketStatus == "valid" { // resold tickets are replaced by another valid one
				t.add(tk.TicketPrice.v, tk.VatRate.v)
			}
		}
		series = append(series, Serie{RemoteID: id, Name: event.Name, Events: []Event{
			t.event(id, event.StartTime.t, event.EndTime.ptr(), indicativeRate(entries)),
		}})
	}
	return series, nil
}

// events browses the organizer's events, current then past ones, until every wanted id is found.
// Decision T8 (docs/decisions.md): each pass starts at page 0.
func (s *shotgun) events(ctx context.Context, wanted map[int64]bool) (map[string]sgEvent, error) {
	found := map[string]sgEvent{}
	path := "/organizers/" + url.PathEscape(s.org) + "/events"
	for _, past := range []bool{false, true} {
		for n := 0; len(found) < len(wanted); n++ {
			if n == maxPages {
				return nil, &RemoteError{System: Shotgun, Code: CodeInconsistentData, Path: path, Message: "event pages do not end"}
			}
			if n > 0 || past {
				if err := s.r.wait(ctx); err != nil {
					return nil, err
				}
			}
			q := query{{"page", strconv.Itoa(n)}, {"limit", strconv.Itoa(shotgunEventsPage)}}
			if past {
				q = q.add("past_events", "true")
			}
			l, err := getJSON(ctx, s.r, s.get(path, q), parseShotgunEvents)
			if err != nil {
				return nil, err
			}
			for _, e := range l.Data {
				if wanted[e.ID] {
					found[strconv.FormatInt(e.ID, 10)] = e
				}
			}
			if len(l.Data) < shotgunEventsPage {
				break
			}
		}
	}
	return found, nil
}
