package transmissions_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/agencies"
	"assistant-declaration/app/apptest"
	"assistant-declaration/app/attachments"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/mail/mailtest"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/sacd"
	"assistant-declaration/app/sacd/sacdtest"
	"assistant-declaration/app/series"
	"assistant-declaration/app/transmissions"
)

// env is an organization whose collaborator declares a serie ready to be
// transmitted, with the SACD fake and the transmissions service.
type env struct {
	*apptest.Harness
	svc   *transmissions.Service
	fake  *sacdtest.Server
	user  uuid.UUID
	email string
	org   uuid.UUID
	serie uuid.UUID
	name  string
}

// setup is a serie's declaration: its organisms, its place's postal code and
// its documents (type → size in bytes).
type setup struct {
	organisms  string
	postalCode string
	documents  []doc
}

type doc struct {
	typ  string
	size int
}

func newEnv(t *testing.T, s setup) *env {
	t.Helper()
	h := apptest.New(t)
	ctx := context.Background()
	if err := agencies.SeedDemo(ctx, h.DB); err != nil {
		t.Fatal(err)
	}
	e := &env{Harness: h, email: apptest.UniqueEmail("declarant")}
	e.user = h.CreateUser(e.email, false)
	e.org = orgtest.Insert(t, h.DB, orgtest.Row{Name: "Compagnie & Cie", SacemID: digits(9), Members: []uuid.UUID{e.user}}).ID
	e.name = "Le cracheur de feu " + digits(6)
	e.fake = sacdtest.New(t)
	cfg := e.fake.Config()
	cfg.Timeout = 300 * time.Millisecond
	e.svc = &transmissions.Service{DB: h.DB, Store: attachments.PGStore{DB: h.DB}, Sacd: func(uuid.UUID) sacd.Client { return sacd.NewHTTPClient(cfg) },
		MaxMessageSize: 20 << 20, BaseURL: "http://assistant.test"}
	var err error
	e.serie, err = series.CreateManual(ctx, h.DB, e.org, series.ManualSerie{Name: e.name, Events: []series.ManualEvent{
		{StartAt: time.Date(2024, 12, 1, 10, 0, 0, 0, time.UTC)}, {StartAt: time.Date(2024, 12, 2, 19, 0, 0, 0, time.UTC)},
	}}, audit.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	e.exec(t, `UPDATE organizations SET sacd_id = ? WHERE id = ?`, digits(8), e.org)
	var place uuid.UUID
	if err := h.DB.NewRaw(`WITH a AS (INSERT INTO addresses (street, city, postal_code, country_code) VALUES ('3 rue du Théâtre', 'Rennes', ?, 'FR') RETURNING id)
INSERT INTO places (organization_id, name, address_id) SELECT ?, 'Salle de la Cité', a.id FROM a RETURNING id`, s.postalCode, e.org).Scan(ctx, &place); err != nil {
		t.Fatal(err)
	}
	e.exec(t, `UPDATE event_series SET expected_declaration_types = ?::text[], performance_type = 'DANCE', producer_official_id = '130025265',
  producer_name = 'Production Étoile', place_capacity = 200, place_id = ?, expenses_including_taxes = 1200, expenses_excluding_taxes = 1000
WHERE id = ?`, "{"+s.organisms+"}", place, e.serie)
	e.exec(t, `UPDATE events SET ticketing_revenue_including_taxes = 105.5, ticketing_revenue_excluding_taxes = 100, free_tickets = 9, paid_tickets = 10
WHERE event_serie_id = ?`, e.serie)
	for i, d := range s.documents {
		var id uuid.UUID
		if err := h.DB.NewRaw(`INSERT INTO attachments (event_serie_id, name, content_type, size, type) VALUES (?, ?, 'application/pdf', ?, ?) RETURNING id`,
			e.serie, fmt.Sprintf("piece-%d.pdf", i+1), d.size, d.typ).Scan(ctx, &id); err != nil {
			t.Fatal(err)
		}
		e.exec(t, `INSERT INTO attachment_contents (attachment_id, content) VALUES (?, ?)`, id, []byte(strings.Repeat("%", d.size)))
	}
	return e
}

func digits(n int) string {
	var b strings.Builder
	b.WriteByte(byte('1' + rand.IntN(9)))
	for b.Len() < n {
		b.WriteByte(byte('0' + rand.IntN(10)))
	}
	return b.String()
}

func (e *env) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := e.DB.NewRaw(query, args...).Exec(context.Background()); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func (e *env) actor() audit.Actor { return audit.Actor{UserID: e.user, Email: e.email} }

// transmit queues a transmission as "Déclarer" does.
func (e *env) transmit(t *testing.T) *transmissions.Transmission {
	t.Helper()
	tr, _, err := transmissions.Transmit(context.Background(), e.DB, e.org, e.serie, e.actor())
	if err != nil {
		t.Fatalf("transmit: %v", err)
	}
	return tr
}

// work runs the worker once, delivers the outbox to the catcher, runs the
// worker again so it sees the e-mails sent, and delivers the receipt.
func (e *env) work(t *testing.T) {
	t.Helper()
	for range 2 {
		if err := e.svc.Tick(context.Background()); err != nil {
			t.Fatalf("tick: %v", err)
		}
		mailtest.Flush(t, e.DB, e.Catcher)
	}
}

// row is the declaration row of organism o: status and last error.
func (e *env) row(t *testing.T, o string) (status, lastError string) {
	t.Helper()
	var rows []struct {
		Status string  `bun:"status"`
		Error  *string `bun:"last_transmission_error"`
	}
	if err := e.DB.NewRaw(`SELECT status, last_transmission_error FROM event_serie_declarations WHERE event_serie_id = ? AND type = ?`, e.serie, o).
		Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		return "", ""
	}
	if rows[0].Error != nil {
		lastError = *rows[0].Error
	}
	return rows[0].Status, lastError
}

// mails are the e-mails caught about this serie sent to to.
func (e *env) mails(to string) []mail.CaughtMail {
	var out []mail.CaughtMail
	for _, m := range e.Catcher.Messages() {
		if mailtest.To(to)(m) && strings.Contains(m.Text, e.name) {
			out = append(out, m)
		}
	}
	return out
}

func (e *env) count(t *testing.T, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.DB.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (e *env) panel(t *testing.T) *transmissions.PanelView {
	t.Helper()
	v, err := transmissions.Panel(context.Background(), e.DB, e.org, e.serie)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (e *env) organism(t *testing.T, o string) transmissions.OrganismView {
	t.Helper()
	for _, ov := range e.panel(t).Organisms {
		if string(ov.Organism) == o {
			return ov
		}
	}
	t.Fatalf("organism %s not in the panel", o)
	return transmissions.OrganismView{}
}

// wantMails checks that to was e-mailed want e-mails about this serie.
func (e *env) wantMails(t *testing.T, to string, want int) {
	t.Helper()
	if n := len(e.mails(to)); n != want {
		t.Errorf("%s received %d e-mails about the serie, want %d", to, n, want)
	}
}
