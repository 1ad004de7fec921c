package synchronization

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"assistant-declaration/app/db"
	"assistant-declaration/app/db/dbtest"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/users"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// scripted is a connector whose answers the test sets; it records the windows asked.
type scripted struct {
	mu     sync.Mutex
	series []ticketing.Serie
	err    error
	froms  []time.Time
}

func (c *scripted) TestConnection(context.Context) error { return c.err }

func (c *scripted) FetchSeries(_ context.Context, from, _ time.Time) ([]ticketing.Serie, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.froms = append(c.froms, from)
	return c.series, c.err
}

func (c *scripted) set(series []ticketing.Serie, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.series, c.err = series, err
}

// fixture is an organization with a collaborator, and a service whose connectors are scripted
// per system id.
type fixture struct {
	t          *testing.T
	db         *db.DB
	svc        *Service
	org        uuid.UUID
	user       *users.User
	connectors map[ticketing.System]ticketing.Connector
	mu         sync.Mutex
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	d := dbtest.Open(t)
	f := &fixture{t: t, db: d, connectors: map[ticketing.System]ticketing.Connector{}}
	sealer, err := NewSealer(testKey)
	if err != nil {
		t.Fatal(err)
	}
	f.svc = &Service{DB: d, Sealer: sealer, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Connectors: func(s ticketing.System, _ ticketing.Credentials, _ uuid.UUID) (ticketing.Connector, error) {
			f.mu.Lock()
			defer f.mu.Unlock()
			if c, ok := f.connectors[s]; ok {
				return c, nil
			}
			return nil, fmt.Errorf("no connector for %s", s)
		}}
	f.user = &users.User{ID: uuid.New(), Email: fmt.Sprintf("sync-%s@example.com", uuid.NewString()[:8])}
	f.org = orgtest.Insert(t, d, orgtest.Row{Name: "Compagnie"}).ID
	f.exec(`INSERT INTO users (id, email, first_name, last_name, status) VALUES (?, ?, 'Ada', 'Lovelace', 'confirmed')`, f.user.ID, f.user.Email)
	f.exec(`INSERT INTO collaborators (user_id, organization_id) VALUES (?, ?)`, f.user.ID, f.org)
	return f
}

func (f *fixture) exec(query string, args ...any) {
	f.t.Helper()
	if _, err := f.db.NewRaw(query, args...).Exec(context.Background()); err != nil {
		f.t.Fatal(err)
	}
}

// connect stores a system of the organization with the given connector, bypassing the
// connection test.
func (f *fixture) connect(system ticketing.System, c ticketing.Connector) uuid.UUID {
	f.t.Helper()
	f.mu.Lock()
	f.connectors[system] = c
	f.mu.Unlock()
	id := uuid.New()
	sealed, err := f.svc.Sealer.Seal(id, ticketing.Credentials{AccessKey: "U1", SecretKey: "K1"})
	if err != nil {
		f.t.Fatal(err)
	}
	f.exec(`INSERT INTO ticketing_systems (id, organization_id, name, credentials) VALUES (?, ?, ?, ?)`, id, f.org, system, sealed)
	return id
}

func (f *fixture) sync() []Outcome {
	f.t.Helper()
	out, err := f.svc.SynchronizeOrganization(context.Background(), f.org, f.user.ID, nil)
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

func (f *fixture) system(id uuid.UUID) System {
	f.t.Helper()
	var s System
	if err := f.db.NewSelect().Model(&s).Where("id = ?", id).Scan(context.Background()); err != nil {
		f.t.Fatal(err)
	}
	return s
}

// storedEvent is what tests read back of an event.
type storedEvent struct {
	Serie, SerieName, Event string
	Incl                    decimal.Decimal
	Override                decimal.NullDecimal
	Paid                    int
	Manual, Removed         *time.Time
	SystemID                uuid.UUID
}

func (f *fixture) events() map[string]storedEvent {
	f.t.Helper()
	var rows []struct {
		Serie     string              `bun:"serie"`
		SerieName string              `bun:"serie_name"`
		Event     string              `bun:"event"`
		Incl      decimal.Decimal     `bun:"incl"`
		Override  decimal.NullDecimal `bun:"override"`
		Paid      int                 `bun:"paid"`
		Manual    *time.Time          `bun:"manual"`
		Removed   *time.Time          `bun:"removed"`
		SystemID  uuid.UUID           `bun:"system_id"`
	}
	err := f.db.NewRaw(`SELECT es.internal_ticketing_system_id AS serie, es.name AS serie_name, e.internal_ticketing_system_id AS event,
		e.ticketing_revenue_including_taxes AS incl, e.ticketing_revenue_tax_rate_override AS override, e.paid_tickets AS paid,
		e.last_manual_ticketing_data_update_at AS manual, e.removed_from_ticketing_system_at AS removed, es.ticketing_system_id AS system_id
		FROM events e JOIN event_series es ON es.id = e.event_serie_id JOIN ticketing_systems ts ON ts.id = es.ticketing_system_id
		WHERE ts.organization_id = ?`, f.org).Scan(context.Background(), &rows)
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string]storedEvent{}
	for _, r := range rows {
		out[r.Serie+"/"+r.Event] = storedEvent(r)
	}
	return out
}

func (f *fixture) count(query string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.db.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func rate(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }

func at(day int) time.Time { return time.Date(2025, 3, day, 19, 30, 0, 0, time.UTC) }

func ev(id string, day int, incl string, paid int, r decimal.NullDecimal) ticketing.Event {
	end := at(day).Add(2 * time.Hour)
	return ticketing.Event{RemoteID: id, StartAt: at(day), EndAt: &end, RevenueIncludingTaxes: dec(incl),
		RevenueExcludingTaxes: dec(incl).Div(dec("1.055")).Round(2), TaxRate: r, PaidTickets: paid}
}
