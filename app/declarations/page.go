package declarations

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// historyLimit is how many lines of history the page shows.
const historyLimit = 200

// Panel is a part of the declaration page another package draws (the
// documents, the transmission). JSON is the SQL expression of its data as
// JSON for the serie whose id is serie (a placeholder), read with the rest of
// the page in one statement; View builds its view from those data and the
// declaration as loaded.
type Panel struct {
	JSON func(serie string) string
	View func(c *fiber.Ctx, d *Declaration, data []byte, readOnly, admin bool) (any, error)
}

// Suggestions are values of the organization's earlier declarations the form
// offers (never fills in): producers, places and capacities.
type Suggestions struct {
	Producers  []Producer
	Places     []Place
	Capacities []int
}

// pageQuery is the statement of what the whole page shows besides the
// declaration, $1 the organization and $2 the serie: the suggestions (the
// producers and capacities of the organization's 10 series most recently
// declared, a declaration row, or saved; its places, decision D5 in
// docs/decisions.md: places belong to the organization), the history and the
// panels' data. Its text is built at the first page, the panels set.
func (h *Handlers) pageQuery() string {
	h.pageSQLOnce.Do(func() { h.pageSQL = h.buildPageQuery() })
	return h.pageSQL
}

// buildPageQuery writes pageQuery's text.
func (h *Handlers) buildPageQuery() string {
	return `SELECT
  (SELECT coalesce(json_agg(r ORDER BY r.updated_at DESC, r.id), '[]') FROM (
    SELECT s.id, s.updated_at, s.producer_official_id, s.producer_name, s.place_capacity
    FROM event_series AS s JOIN ticketing_systems AS ts ON ts.id = s.ticketing_system_id
    WHERE ts.organization_id = $1
      AND (s.last_manual_update_at IS NOT NULL OR EXISTS (SELECT 1 FROM event_serie_declarations AS d WHERE d.event_serie_id = s.id))
    ORDER BY s.updated_at DESC, s.id LIMIT 10) AS r),
  (SELECT coalesce(json_agg(p ORDER BY p.name, p.id), '[]') FROM (
    SELECT p.id, p.name, json_build_object('street', a.street, 'city', a.city, 'postal_code', a.postal_code) AS address
    FROM places AS p LEFT JOIN addresses AS a ON a.id = p.address_id WHERE p.organization_id = $1
    ORDER BY p.name, p.id LIMIT 50) AS p),
  (SELECT coalesce(json_agg(c ORDER BY c.created_at DESC, c.id), '[]') FROM (
    SELECT c.id, c.field, c.old_value, c.new_value, c.user_email, c.impersonator_email, c.created_at, e.start_at AS event_start_at
    FROM declaration_changes AS c LEFT JOIN events AS e ON e.id = c.event_id WHERE c.event_serie_id = $2
    ORDER BY c.created_at DESC, c.id LIMIT ` + fmt.Sprint(historyLimit) + `) AS c),
  ` + panelJSON(h.Attachments) + `,
  ` + panelJSON(h.Transmission)
}

// panelJSON is the SQL expression of p's data, NULL without a panel.
func panelJSON(p Panel) string {
	if p.JSON == nil {
		return "NULL"
	}
	return p.JSON("$2")
}

// pageData is what pageQuery reads.
type pageData struct {
	suggestions               *Suggestions
	history                   []Change
	attachments, transmission []byte
}

// loadPage reads what the whole page of serie serieID of organization orgID
// shows besides the declaration, in one statement prepared (cached per
// connection by pgx) like the organization page's, so that it is planned
// once per connection. The caller has loaded the declaration: the serie
// belongs to the organization.
func (h *Handlers) loadPage(ctx context.Context, orgID, serieID uuid.UUID) (_ *pageData, err error) {
	var recent, places, history []byte
	out := &pageData{}
	if err := h.db.Pool.QueryRow(ctx, h.pageQuery(), pgx.QueryExecModeCacheStatement, orgID, serieID).
		Scan(&recent, &places, &history, &out.attachments, &out.transmission); err != nil {
		return nil, fmt.Errorf("declarations: page of serie %s: %w", serieID, err)
	}
	if out.suggestions, err = decodeSuggestions(recent, places); err != nil {
		return nil, fmt.Errorf("declarations: suggestions of serie %s: %w", serieID, err)
	}
	if err := json.Unmarshal(history, &out.history); err != nil {
		return nil, fmt.Errorf("declarations: history of serie %s: %w", serieID, err)
	}
	return out, nil
}

// decodeSuggestions reads the suggestions of pageQuery: recent series'
// producers (each once) and capacities (each once, ascending), and places.
func decodeSuggestions(recent, places []byte) (*Suggestions, error) {
	var rows []struct {
		ProducerOfficialID *string `json:"producer_official_id"`
		ProducerName       *string `json:"producer_name"`
		PlaceCapacity      *int    `json:"place_capacity"`
	}
	if err := json.Unmarshal(recent, &rows); err != nil {
		return nil, err
	}
	s := &Suggestions{}
	seenProducer, seenCapacity := map[Producer]bool{}, map[int]bool{}
	for _, r := range rows {
		if r.ProducerOfficialID != nil && r.ProducerName != nil {
			p := Producer{OfficialID: *r.ProducerOfficialID, Name: *r.ProducerName}
			if !seenProducer[p] {
				seenProducer[p] = true
				s.Producers = append(s.Producers, p)
			}
		}
		if r.PlaceCapacity != nil && *r.PlaceCapacity > 0 && !seenCapacity[*r.PlaceCapacity] {
			seenCapacity[*r.PlaceCapacity] = true
			s.Capacities = append(s.Capacities, *r.PlaceCapacity)
		}
	}
	sort.Ints(s.Capacities)
	if err := json.Unmarshal(places, &s.Places); err != nil {
		return nil, err
	}
	return s, nil
}
