package ticketingtest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// MapadoToken is the bearer token the fake accepts.
const MapadoToken = "mp-1"

// Mapado fakes https://ticketing.mapado.net (rule C8, docs/decisions.md). Point MapadoBaseURL at URL.
// Like Mapado, it returns only the properties the "fields" parameter names (and "@id"): a client
// must decode what it asked for, no more. Tickets carry "updatedAt", event dates "ticketing".
type Mapado struct {
	*Server

	mu         sync.Mutex
	tickets    []Object
	eventDates []Object
	ticketings []Object
	maxQuery   int
	totalItems int
}

// NewMapado starts a fake serving the reference sample.
func NewMapado(t testing.TB) *Mapado {
	m := &Mapado{
		tickets: objects(`[
 {"@id":"/v1/tickets/1","status":"payed","facialValue":2500,"ticketPrice":"/v1/ticket_prices/81","eventDate":"/v1/event_dates/3001","isValid":true,"imported":false,"updatedAt":"2025-05-01T10:00:00+02:00"},
 {"@id":"/v1/tickets/2","status":"refunded","facialValue":2500,"ticketPrice":"/v1/ticket_prices/81","eventDate":"/v1/event_dates/3001","isValid":false,"imported":false,"updatedAt":"2024-05-01T10:00:00+02:00"},
 {"@id":"/v1/tickets/3","status":"payed","facialValue":null,"ticketPrice":"/v1/ticket_prices/83","eventDate":"/v1/event_dates/3002","isValid":true,"imported":false,"updatedAt":"2025-05-01T11:00:00+02:00"},
 {"@id":"/v1/tickets/4","status":"payed","facialValue":0,"ticketPrice":"/v1/ticket_prices/82","eventDate":"/v1/event_dates/3001","isValid":true,"imported":false,"updatedAt":"2024-05-01T10:00:00+02:00"},
 {"@id":"/v1/tickets/5","status":"payed","facialValue":1500,"ticketPrice":null,"eventDate":"/v1/event_dates/3001","isValid":true,"imported":true,"updatedAt":"2024-05-01T10:00:00+02:00"}]`),
		eventDates: objects(`[
 {"@id":"/v1/event_dates/3001","ticketing":"/v1/ticketings/700","startDate":"2025-06-01T20:00:00+02:00","endDate":"2025-06-01T22:00:00+02:00","startOfEventDay":"2025-06-01T05:00:00+02:00",
  "ticketPriceList":[
   {"@id":"/v1/ticket_prices/81","id":81,"type":"full_price","name":"Plein","description":null,"currency":"EUR","facialValue":2500,"valueIncvat":25,"tax":{"rate":0.055,"countryCode":"FR"}},
   {"@id":"/v1/ticket_prices/82","id":82,"type":"exempted","name":"","description":"","currency":"EUR","facialValue":0,"valueIncvat":0,"tax":{"rate":0,"countryCode":""}}]},
 {"@id":"/v1/event_dates/3002","ticketing":"/v1/ticketings/700","startDate":"2025-06-02T20:00:00+02:00","endDate":null,"startOfEventDay":"2025-06-02T05:00:00+02:00",
  "ticketPriceList":[
   {"@id":"/v1/ticket_prices/83","id":83,"type":"full_price","name":"Plein","description":null,"currency":"EUR","facialValue":2500,"valueIncvat":25,"tax":{"rate":0.055,"countryCode":null}}]}]`),
		ticketings: objects(`[{"@id":"/v1/ticketings/700","type":"dated_events","title":"Le Cid","currency":"EUR",
  "eventDateList":["/v1/event_dates/3001","/v1/event_dates/3002"],"venue":{"countryCode":"FR"}}]`),
	}
	m.Server = newServer(t, false, m.handle)
	return m
}

// SetTickets replaces the tickets.
func (m *Mapado) SetTickets(tickets []Object) { m.set(func() { m.tickets = tickets }) }

// SetEventDates replaces the event dates (each with its "ticketing" IRI).
func (m *Mapado) SetEventDates(dates []Object) { m.set(func() { m.eventDates = dates }) }

// SetTicketings replaces the ticketings.
func (m *Mapado) SetTicketings(ticketings []Object) { m.set(func() { m.ticketings = ticketings }) }

// SetMaxQueryLength makes the fake answer 414 to longer query strings (0 = no limit).
func (m *Mapado) SetMaxQueryLength(n int) { m.set(func() { m.maxQuery = n }) }

// SetTotalItems makes collections report this hydra:totalItems (0 = the real count).
func (m *Mapado) SetTotalItems(n int) { m.set(func() { m.totalItems = n }) }

func (m *Mapado) set(f func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f()
}

func (m *Mapado) handle(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "Bearer "+MapadoToken {
		writeBody(w, http.StatusUnauthorized, "application/json", `{"code":401,"message":"Invalid token"}`)
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.maxQuery > 0 && len(r.URL.RawQuery) > m.maxQuery {
		writeBody(w, http.StatusRequestURITooLong, "text/html", "<html><body>414 Request-URI Too Large</body></html>")
		return
	}
	q := r.URL.Query()
	switch r.URL.Path {
	case "/v1/tickets":
		m.serveTickets(w, q)
	case "/v1/event_dates":
		m.serveCollection(w, project(byIDs(m.eventDates, "/v1/event_dates/", q.Get("@id")), q.Get("fields")), "")
	case "/v1/ticketings":
		m.serveCollection(w, project(byIDs(m.ticketings, "/v1/ticketings/", q.Get("@id")), q.Get("fields")), "")
	default:
		writeBody(w, http.StatusNotFound, "application/json", `{"hydra:description":"Not Found"}`)
	}
}

// byIDs resolves a comma-separated list of numeric ids (or full IRIs) in the given order.
func byIDs(list []Object, prefix, ids string) []Object {
	index := map[string]Object{}
	for _, o := range list {
		index[str(o, "@id")] = o
	}
	var out []Object
	for _, id := range strings.Split(ids, ",") {
		if o, ok := index[prefix+strings.TrimPrefix(id, prefix)]; ok {
			out = append(out, o)
		}
	}
	return out
}

func (m *Mapado) serveTickets(w http.ResponseWriter, q map[string][]string) {
	var list []Object
	since, hasSince := first(q["updatedSince"]), first(q["updatedSince"]) != ""
	sinceT, _ := time.Parse(time.RFC3339, since)
	dateTicketing := map[string]string{}
	for _, d := range m.eventDates {
		dateTicketing[str(d, "@id")] = str(d, "ticketing")
	}
	for _, t := range m.tickets {
		if hasSince {
			updated, err := time.Parse(time.RFC3339, str(t, "updatedAt"))
			if err != nil || updated.Before(sinceT) {
				continue
			}
		}
		if ticketing := first(q["ticketing"]); ticketing != "" && dateTicketing[str(t, "eventDate")] != ticketing {
			continue
		}
		list = append(list, t)
	}
	per, err1 := strconv.Atoi(first(q["itemsPerPage"]))
	page, err2 := strconv.Atoi(first(q["page"]))
	if err2 != nil {
		page = 1
	}
	if err1 != nil || per < 1 || page < 1 {
		writeBody(w, http.StatusBadRequest, "application/json", `{"hydra:description":"itemsPerPage and page must be positive"}`)
		return
	}
	start := min((page-1)*per, len(list))
	end := min(start+per, len(list))
	next := ""
	if end < len(list) {
		next = fmt.Sprintf("/v1/tickets?page=%d", page+1)
	}
	m.serveCollection(w, project(list[start:end], first(q["fields"])), next)
}

// project keeps, of each object, the properties fields names, as Mapado does: a comma-separated
// list where "name{a,b}" keeps only a and b of a nested object or list of objects. "@id" is
// always kept; an empty fields keeps everything.
func project(list []Object, fields string) []Object {
	if fields == "" {
		return list
	}
	wanted := parseFields(fields)
	out := make([]Object, len(list))
	for i, o := range list {
		out[i] = projectObject(o, wanted)
	}
	return out
}

func projectObject(o Object, wanted map[string]string) Object {
	p := Object{}
	if id, ok := o["@id"]; ok {
		p["@id"] = id
	}
	for name, sub := range wanted {
		v, ok := o[name]
		if !ok {
			continue
		}
		if sub != "" {
			v = projectValue(v, parseFields(sub))
		}
		p[name] = v
	}
	return p
}

func projectValue(v any, wanted map[string]string) any {
	switch v := v.(type) {
	case map[string]any:
		return projectObject(v, wanted)
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = projectValue(e, wanted)
		}
		return out
	}
	return v
}

// parseFields splits a fields list at its top-level commas: name → nested fields ("" for none).
func parseFields(fields string) map[string]string {
	wanted := map[string]string{}
	depth, start := 0, 0
	add := func(part string) {
		name, sub, _ := strings.Cut(part, "{")
		if name = strings.TrimSpace(name); name != "" {
			wanted[name] = strings.TrimSuffix(sub, "}")
		}
	}
	for i, r := range fields {
		switch r {
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				add(fields[start:i])
				start = i + 1
			}
		}
	}
	add(fields[start:])
	return wanted
}

func (m *Mapado) serveCollection(w http.ResponseWriter, members []Object, next string) {
	total := len(members)
	if m.totalItems > 0 {
		total = m.totalItems
	}
	body := Object{"hydra:totalItems": total, "hydra:member": nonNil(members)}
	if next != "" {
		body["hydra:nextPage"] = next
	}
	writeJSON(w, body)
}
