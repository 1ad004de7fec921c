package ticketingtest

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Shotgun credentials the fake accepts.
const (
	ShotgunOrganizerID = "123"
	ShotgunKey         = "sk"
)

// ShotgunOldToken is a JWT issued before 2025-07-01 (iat 1735689600): it must be sent as "token".
const ShotgunOldToken = "eyJhbGciOiJIUzI1NiJ9.eyJpYXQiOjE3MzU2ODk2MDB9.c2ln"

// Shotgun fakes https://smartboard-api.shotgun.live/api/shotgun (rule C8, docs/decisions.md). Point
// ShotgunBaseURL at BaseURL.
type Shotgun struct {
	*Server
	// BaseURL is URL + "/api/shotgun".
	BaseURL string
	// Now separates current events (endTime ≥ Now) from past ones.
	Now time.Time

	mu         sync.Mutex
	tickets    []Object
	events     []Object
	totalPages int
}

const shotgunPage = 50

// NewShotgun starts a fake serving the reference sample; Now is 2025-06-15, so event 42 is current.
func NewShotgun(t testing.TB) *Shotgun {
	s := &Shotgun{
		Now: time.Date(2025, 6, 15, 0, 0, 0, 0, time.UTC),
		tickets: objects(`[
 {"order_id":7001,"currency":"eur","product_id":9,"ordered_at":"2025-06-01T12:00:00.000Z","event_id":42,"event_name":"Techno Night",
  "event_start_time":"2025-07-05T22:00:00.000Z","event_end_time":"2025-07-06T04:00:00.000Z","ticket_id":880001,"ticket_redeemed_at":null,
  "shotguner_id":555,"cancelled_at":null,"ticket_updated_at":"2025-06-01T12:00:00.000Z","ticket_visibilities":[],"ticket_price":10,
  "ticket_title":"Early","service_fee":0.5,"user_service_fee":1,"vat_rate":0.055,"ticket_sub_category":null,"ticket_status":"valid"},
 {"order_id":7002,"currency":"eur","product_id":9,"ordered_at":"2025-06-02T12:00:00.000Z","event_id":42,"event_name":"Techno Night",
  "event_start_time":"2025-07-05T22:00:00.000Z","event_end_time":"2025-07-06T04:00:00.000Z","ticket_id":880002,"ticket_redeemed_at":null,
  "shotguner_id":556,"cancelled_at":"2025-06-03T08:00:00.000Z","ticket_updated_at":"2025-06-03T08:00:00.000Z","ticket_visibilities":[],"ticket_price":10,
  "ticket_title":"Early","service_fee":0.5,"user_service_fee":1,"vat_rate":0.055,"ticket_sub_category":null,"ticket_status":"refunded"},
 {"order_id":7003,"currency":"eur","product_id":10,"ordered_at":"2025-06-04T12:00:00.000Z","event_id":42,"event_name":"Techno Night",
  "event_start_time":"2025-07-05T22:00:00.000Z","event_end_time":"2025-07-06T04:00:00.000Z","ticket_id":880003,"ticket_redeemed_at":null,
  "shotguner_id":null,"cancelled_at":null,"ticket_updated_at":"2025-06-04T12:00:00.000Z","ticket_visibilities":[],"ticket_price":0,
  "ticket_title":"Guest","service_fee":0,"user_service_fee":0,"vat_rate":0,"ticket_sub_category":null,"ticket_status":"valid"}]`),
		events: objects(`[{"id":42,"name":"Techno Night","startTime":"2025-07-05T22:00:00.000Z","endTime":"2025-07-06T04:00:00.000Z","slug":"techno-night",
  "timezone":"Europe/Paris","leftTicketsCount":-1,"cancelledAt":null,
  "deals":[{"name":"Early","product_id":9,"description":null,"quantity":100,"subcategory_id":null,"subcategory":null,"price":10,"organizer_fees":0.5,"user_fees":1}]}]`),
	}
	s.Server = newServer(t, false, s.handle)
	s.BaseURL = s.URL + "/api/shotgun"
	return s
}

// SetTickets replaces the sold tickets.
func (s *Shotgun) SetTickets(tickets []Object) { s.set(func() { s.tickets = tickets }) }

// SetEvents replaces the organizer's events.
func (s *Shotgun) SetEvents(events []Object) { s.set(func() { s.events = events }) }

// SetTotalPages makes the count request report n pages (0 = the real count).
func (s *Shotgun) SetTotalPages(n int) { s.set(func() { s.totalPages = n }) }

func (s *Shotgun) set(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

func (s *Shotgun) handle(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	secret := q.Get("key")
	if q.Has("token") {
		secret = q.Get("token")
	}
	if q.Get("organizer_id") != ShotgunOrganizerID || (secret != ShotgunKey && secret != ShotgunOldToken) ||
		(secret == ShotgunOldToken) != q.Has("token") {
		writeBody(w, http.StatusUnauthorized, "application/json", `{"error":"Unauthorized"}`)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch p := strings.TrimPrefix(r.URL.Path, "/api/shotgun"); {
	case p == "/tickets/sold":
		s.serveTickets(w, r)
	case p == "/organizers/"+ShotgunOrganizerID+"/events":
		s.serveEvents(w, q)
	default:
		writeBody(w, http.StatusNotFound, "application/json", `{"error":"Not found"}`)
	}
}

func (s *Shotgun) serveTickets(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	after, errA := time.Parse(time.RFC3339, q.Get("after"))
	before, errB := time.Parse(time.RFC3339, q.Get("before"))
	var list []Object
	for _, t := range s.tickets {
		updated, _ := time.Parse(time.RFC3339, str(t, "ticket_updated_at"))
		switch {
		case q.Has("event_id") && str(t, "event_id") != q.Get("event_id"),
			errA == nil && updated.Before(after),
			errB == nil && !updated.Before(before):
			continue
		}
		list = append(list, t)
	}
	slices.SortStableFunc(list, func(a, b Object) int { return int(num(a, "ticket_id") - num(b, "ticket_id")) })
	if !q.Has("cursor") {
		total := (len(list) + shotgunPage - 1) / shotgunPage
		if s.totalPages > 0 {
			total = s.totalPages
		}
		writeJSON(w, Object{"query": Object{}, "pagination": Object{"next": nil, "totalResults": len(list), "totalPages": total},
			"data": nonNil(list[:min(shotgunPage, len(list))])})
		return
	}
	start := 0
	if c := q.Get("cursor"); c != "true" {
		after, err := strconv.ParseInt(c, 10, 64)
		if err != nil {
			writeBody(w, http.StatusBadRequest, "application/json", `{"error":"invalid cursor"}`)
			return
		}
		for start < len(list) && num(list[start], "ticket_id") <= after {
			start++
		}
	}
	end := min(start+shotgunPage, len(list))
	var next any
	if end < len(list) {
		nq := r.URL.Query()
		nq.Set("cursor", str(list[end-1], "ticket_id"))
		next = "http://" + r.Host + r.URL.Path + "?" + nq.Encode()
	}
	writeJSON(w, Object{"query": Object{"cursor": q.Get("cursor")}, "pagination": Object{"next": next}, "data": nonNil(list[start:end])})
}

func (s *Shotgun) serveEvents(w http.ResponseWriter, q map[string][]string) {
	page, err1 := strconv.Atoi(first(q["page"]))
	limit, err2 := strconv.Atoi(first(q["limit"]))
	if err1 != nil || err2 != nil || page < 0 || limit < 1 {
		writeBody(w, http.StatusBadRequest, "application/json", `{"error":"page and limit are required"}`)
		return
	}
	past := first(q["past_events"]) == "true"
	var list []Object
	for _, e := range s.events {
		end, _ := time.Parse(time.RFC3339, str(e, "endTime"))
		if end.Before(s.Now) == past {
			list = append(list, e)
		}
	}
	start := min(page*limit, len(list))
	writeJSON(w, Object{"data": nonNil(list[start:min(start+limit, len(list))])})
}

func num(o Object, key string) int64 {
	n, _ := strconv.ParseInt(str(o, key), 10, 64)
	return n
}
