package ticketingtest

import (
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // last_update is Paris wall-clock time, whatever the machine's zone
)

// Billetweb credentials the fake accepts.
const (
	BilletwebUser = "U1"
	BilletwebKey  = "K1"
)

// Billetweb error bodies of the reference sample (rule C8, docs/decisions.md).
const (
	BilletwebRateLimitBody  = "{\n    \"error\": \"rate_limiting\",\n    \"description\": \"You exceed the global rate limiter : 100 hits per minute\"\n}"
	BilletwebRestrictedBody = `{"error":"unauthorized","description":"This key has limited rights to specific events"}`
)

// Billetweb fakes https://www.billetweb.fr/api (rule C8, docs/decisions.md; its calls B1–B5 are
// named in rule C2). Point the connector's BilletwebBaseURL at BaseURL.
type Billetweb struct {
	*Server
	// BaseURL is URL + "/api".
	BaseURL string

	mu        sync.Mutex
	events    []Object
	dates     map[string][]Object
	tickets   map[string][]Object
	attendees map[string][]Object
	throttle  int
	window    time.Duration
	hits      []time.Time
}

var paris, _ = time.LoadLocation("Europe/Paris")

// NewBilletweb starts a fake serving the reference sample. Attendees carry a last_update (Paris time):
// those of the sample B1 answer are updated on 2025-02-01, the others in 2023.
func NewBilletweb(t testing.TB) *Billetweb {
	b := &Billetweb{
		events: objects(`[
 {"id":"101","name":"Concert A","start":"2025-03-01 20:30:00","end":"2025-03-01 22:30:00","multiple":"0","tax_rate":"5.5"},
 {"id":"102","name":"Festival B","start":"2025-04-10 18:00:00","end":"2025-04-11 23:00:00","multiple":"1","tax_rate":"5.5"},
 {"id":"103","name":"Vieux","start":"0000-00-00 00:00:00","end":"0000-00-00 00:00:00","multiple":"0","tax_rate":"0"}]`),
		dates: map[string][]Object{
			"101": {},
			"102": objects(`[{"id":"9001","start":"2025-04-10 18:00:00","end":"2025-04-10 23:00:00"},
 {"id":"9002","start":"2025-04-11 18:00:00","end":"2025-04-11 23:00:00"}]`),
		},
		tickets: map[string][]Object{
			"101": objects(`[{"id":"5001","name":"Plein tarif","price":21,"description":"","tax":"","commission":1},
 {"id":"5002","name":"Invitation","price":0,"description":"","tax":"","commission":false}]`),
			"102": objects(`[{"id":"6001","name":"Pass","price":15,"description":"","tax":"20","commission":0.5}]`),
		},
		attendees: map[string][]Object{
			"101": objects(`[{"ticket_id":"5001","price":"21.00","disabled":"0","order_payment_type":"web","order_session":"0","last_update":"2025-02-01 10:00:00"},
 {"ticket_id":"5001","price":"21.00","disabled":"1","order_payment_type":"web","order_session":"0","last_update":"2023-02-01 10:00:00"},
 {"ticket_id":"5002","price":"0.00","disabled":"0","order_payment_type":"","order_session":"0","last_update":"2023-02-01 10:00:00"},
 {"ticket_id":"5001","price":"21.00","disabled":"0","order_payment_type":"cash","order_session":"0","last_update":"0000-00-00 00:00:00"}]`),
			"102": objects(`[{"ticket_id":"6001","price":"15","disabled":"0","order_payment_type":"cash","order_session":"9001","last_update":"2025-02-01 10:00:00"}]`),
			"103": {},
		},
	}
	b.Server = newServer(t, false, b.handle)
	b.BaseURL = b.URL + "/api"
	return b
}

// SetEvents replaces the /events list (B2).
func (b *Billetweb) SetEvents(events []Object) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.events = events
}

// SetDates replaces the sessions of an event (B3).
func (b *Billetweb) SetDates(eventID string, dates []Object) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.dates[eventID] = dates
}

// SetTickets replaces the ticket categories of an event (B4).
func (b *Billetweb) SetTickets(eventID string, tickets []Object) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tickets[eventID] = tickets
}

// SetAttendees replaces the attendees of an event (B5; B1 lists them with their "event").
func (b *Billetweb) SetAttendees(eventID string, attendees []Object) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.attendees[eventID] = attendees
}

// Throttle answers the rate-limiting body with 429 once more than n requests arrived within
// window, like Billetweb's global limiter.
func (b *Billetweb) Throttle(n int, window time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.throttle, b.window = n, window
}

// Generate replaces the data with events single-date events of attendeesPerEvent attendees each,
// all updated in 2025 so that one synchronization fetches them all. Every attendee is a 10.00 € cash
// ticket at 5.5 %, so each event totals attendeesPerEvent paid tickets and 10 × that in revenue.
func (b *Billetweb) Generate(events, attendeesPerEvent int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.events, b.dates, b.tickets, b.attendees = nil, map[string][]Object{}, map[string][]Object{}, map[string][]Object{}
	for e := range events {
		id := strconv.Itoa(1000 + e)
		start := time.Date(2025, 3, 1, 20, 0, 0, 0, time.UTC).AddDate(0, 0, e)
		b.events = append(b.events, Object{"id": id, "name": "Spectacle " + id, "start": start.Format(time.DateTime),
			"end": start.Add(2 * time.Hour).Format(time.DateTime), "multiple": "0", "tax_rate": "5.5"})
		b.tickets[id] = []Object{{"id": "t" + id, "name": "Plein", "price": 10, "description": "", "tax": "", "commission": false}}
		list := make([]Object, attendeesPerEvent)
		for a := range list {
			list[a] = Object{"ticket_id": "t" + id, "price": "10.00", "disabled": "0", "order_payment_type": "cash",
				"order_session": "0", "last_update": "2025-02-01 10:00:00"}
		}
		b.attendees[id] = list
	}
}

func (b *Billetweb) handle(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("user") != BilletwebUser || q.Get("key") != BilletwebKey || q.Get("version") != "1" {
		writeBody(w, http.StatusUnauthorized, "application/json", `{"error":"unauthorized","description":"Invalid credentials"}`)
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.throttled() {
		writeBody(w, http.StatusTooManyRequests, "application/json", BilletwebRateLimitBody)
		return
	}
	p := strings.TrimPrefix(r.URL.Path, "/api")
	parts := strings.Split(strings.Trim(p, "/"), "/")
	switch {
	case p == "/attendees":
		b.serveChanged(w, q)
	case p == "/events":
		writeJSON(w, nonNil(b.events))
	case len(parts) == 3 && parts[0] == "event" && parts[2] == "dates":
		writeJSON(w, nonNil(b.dates[parts[1]]))
	case len(parts) == 3 && parts[0] == "event" && parts[2] == "tickets":
		writeJSON(w, nonNil(b.tickets[parts[1]]))
	case len(parts) == 3 && parts[0] == "event" && parts[2] == "attendees":
		writeJSON(w, nonNil(b.attendees[parts[1]]))
	default:
		writeBody(w, http.StatusNotFound, "application/json", `{"error":"not_found"}`)
	}
}

func (b *Billetweb) throttled() bool {
	if b.throttle == 0 {
		return false
	}
	now := time.Now()
	kept := b.hits[:0]
	for _, h := range b.hits {
		if now.Sub(h) < b.window {
			kept = append(kept, h)
		}
	}
	b.hits = append(kept, now)
	return len(b.hits) > b.throttle
}

// serveChanged is B1: attendees of every event updated in [last_update, to).
func (b *Billetweb) serveChanged(w http.ResponseWriter, q map[string][]string) {
	since, err := strconv.ParseInt(first(q["last_update"]), 10, 64)
	if err != nil {
		writeBody(w, http.StatusBadRequest, "application/json", `{"error":"last_update must be a unix timestamp"}`)
		return
	}
	until := int64(1) << 62
	if to := first(q["to"]); to != "" {
		if until, err = strconv.ParseInt(to, 10, 64); err != nil {
			writeBody(w, http.StatusBadRequest, "application/json", `{"error":"to must be a unix timestamp"}`)
			return
		}
	}
	out := []Object{}
	for _, id := range slices.Sorted(maps.Keys(b.attendees)) {
		for _, a := range b.attendees[id] {
			updated, err := time.ParseInLocation(time.DateTime, str(a, "last_update"), paris)
			if err != nil || updated.Unix() < since || updated.Unix() >= until {
				continue
			}
			item := Object{"event": id}
			for k, v := range a {
				item[k] = v
			}
			out = append(out, item)
		}
	}
	writeJSON(w, out)
}

func first(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[0]
}

func nonNil(list []Object) []Object {
	if list == nil {
		return []Object{}
	}
	return list
}
