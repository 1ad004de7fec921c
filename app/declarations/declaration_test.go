package declarations_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/users"
)

// env is one application with a signed-in collaborator of one organization.
type env struct {
	*apptest.Harness
	t    *testing.T
	org  *organizations.Organization
	user *users.User
	cl   *apptest.Client
}

func newEnv(t *testing.T, h *apptest.Harness) *env {
	t.Helper()
	if h == nil {
		h = apptest.New(t)
	}
	email := apptest.UniqueEmail("decl")
	user := &users.User{ID: h.CreateUser(email, false), Email: email, FirstName: "Camille", LastName: "Martin", Status: "confirmed"}
	org := orgtest.CreateOrganization(t, h.DB, user, "Compagnie "+email)
	cl := h.Client()
	cl.StartSession(user.ID, time.Hour)
	return &env{Harness: h, t: t, org: org, user: user, cl: cl}
}

func (e *env) exec(query string, args ...any) {
	e.t.Helper()
	if _, err := e.DB.ExecContext(context.Background(), query, args...); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) str(query string, args ...any) string {
	e.t.Helper()
	var s *string
	if err := e.DB.NewRaw(query, args...).Scan(context.Background(), &s); err != nil {
		e.t.Fatal(err)
	}
	if s == nil {
		return "NULL"
	}
	return *s
}

// system creates a ticketing system of the organization.
func (e *env) system(name string) uuid.UUID {
	e.t.Helper()
	var id uuid.UUID
	creds := any(`\x00`)
	if name == "MANUAL" {
		creds = nil
	}
	if err := e.DB.NewRaw(`INSERT INTO ticketing_systems (organization_id, name, credentials) VALUES (?, ?, ?) RETURNING id`,
		e.org.ID, name, creds).Scan(context.Background(), &id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// crachеurDeFeu is the worked example of the specification: a synchronized
// serie of 3 performances, organisms chosen as given.
func (e *env) workedExample(organisms string) (serie uuid.UUID, events []uuid.UUID) {
	e.t.Helper()
	sys := e.system("BILLETWEB")
	serie = uuid.New()
	e.exec(`INSERT INTO event_series (id, ticketing_system_id, internal_ticketing_system_id, name, expected_declaration_types,
  expenses_excluding_taxes, expenses_including_taxes, introduction_fees_expenses_excluding_taxes, introduction_fees_expenses_including_taxes)
VALUES (?, ?, ?, 'Le cracheur de feu', string_to_array(?, ','), 2500, 3000, 400, 480)`, serie, sys, serie.String(), organisms)
	start := time.Date(2026, 11, 21, 19, 30, 0, 0, time.UTC)
	rows := []struct {
		incl, excl   string
		free, paid   int
		nonTicketing bool
		rateOverride any
	}{
		{"105.5", "100", 9, 10, true, nil},
		{"263.75", "250", 35, 43, true, nil},
		{"1021", "1000", 86, 99, false, "0.021"},
	}
	for i, r := range rows {
		id := uuid.New()
		events = append(events, id)
		e.exec(`INSERT INTO events (id, event_serie_id, internal_ticketing_system_id, start_at, ticketing_revenue_including_taxes, ticketing_revenue_excluding_taxes,
  free_tickets, paid_tickets, ticketing_revenue_tax_rate_override) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, serie, id.String(), start.AddDate(0, 0, i), r.incl, r.excl, r.free, r.paid, r.rateOverride)
		if r.nonTicketing {
			e.exec(`UPDATE events SET consumptions_revenue_including_taxes = 60, consumptions_revenue_excluding_taxes = 50,
  catering_revenue_including_taxes = 110.4, catering_revenue_excluding_taxes = 92, program_sales_revenue_including_taxes = 63.6,
  program_sales_revenue_excluding_taxes = 53, other_revenue_including_taxes = 162, other_revenue_excluding_taxes = 135 WHERE id = ?`, id)
		}
	}
	return serie, events
}

func (e *env) page(serie uuid.UUID) string {
	return "/dashboard/organization/" + e.org.ID.String() + "/serie/" + serie.String() + "/declaration"
}

func expectStatus(t *testing.T, r *apptest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL, r.StatusCode, status, r.Body)
	}
}

// saveField posts one group with htmx, as leaving a changed field does.
func (e *env) saveField(serie uuid.UUID, group string, values url.Values) *apptest.Response {
	e.t.Helper()
	v := url.Values{"_group": {group}}
	for k, val := range values {
		v[k] = val
	}
	return e.cl.PostForm(e.page(serie)+"/fields", v, "HX-Request", "true")
}

// open is a new organization with the worked example, and its page.
func open(t *testing.T, organisms string) (*env, uuid.UUID, []uuid.UUID, *apptest.Response) {
	t.Helper()
	e := newEnv(t, nil)
	serie, events := e.workedExample(organisms)
	r := e.cl.Get(e.page(serie))
	expectStatus(t, r, 200)
	return e, serie, events, r
}

func TestPageShowsTheWorkedExample(t *testing.T) {
	t.Parallel()
	_, _, _, r := open(t, "SACEM,SACD")
	// The tab and the breadcrumb name the serie and its organization.
	if got := r.Text("title"); !strings.HasPrefix(got, "Déclaration — Le cracheur de feu — Compagnie ") {
		t.Errorf("title = %q", got)
	}
	if got := r.Text(".fr-breadcrumb__list [aria-current=page]"); got != "Le cracheur de feu" {
		t.Errorf("current breadcrumb step = %q", got)
	}
	for sel, want := range map[string]string{
		`[data-total="ticketing-incl"]`:     "1\u202f390,25\u00a0€",
		`[data-total="ticketing-excl"]`:     "1\u202f350\u00a0€",
		`[data-total="free"]`:               "130",
		`[data-total="paid"]`:               "152",
		`[data-total="non-ticketing-incl"]`: "792\u00a0€",
		`[data-total="non-ticketing-excl"]`: "660\u00a0€",
	} {
		if got := r.Text(sel); got != want {
			t.Errorf("%s = %q, want %q", sel, got, want)
		}
	}
	legend := r.Text("#performance-e0-legend")
	if legend != "Séance du 21/11/2026, 20:30" {
		t.Errorf("first performance = %q", legend)
	}
	// A synchronized serie: the ticketing data sit in the collapsed accordion.
	if r.Doc.Find("#prefilled-e0 #group-e0-ticketing").Length() != 1 {
		t.Error("the ticketing block of a synchronized serie is not inside « Données pré-remplies »")
	}
	if v, _ := r.Doc.Find(`#f-e2-ticketingRevenueTaxRateOverride option[selected]`).Attr("value"); v != "0.021" {
		t.Errorf("third performance's rate = %q", v)
	}
	if declarations.SACEM.LabelKey() != "declarations.organism.SACEM" {
		t.Error("organism label key")
	}
}

func TestDemoSeriesAreSeededOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	system, err := synchronization.EnsureManualSystem(context.Background(), e.DB, e.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := declarations.SeedDemo(context.Background(), e.DB, e.org.ID, system); err != nil {
			t.Fatal(err)
		}
	}
	got := e.str(`SELECT string_agg(s.name || ':' || (SELECT count(*) FROM events WHERE event_serie_id = s.id), ', ' ORDER BY s.name)
FROM event_series s JOIN ticketing_systems ts ON ts.id = s.ticketing_system_id WHERE ts.organization_id = ?`, e.org.ID)
	if got != "Le cracheur de feu:3, Les Fourberies de Scapin:3" {
		t.Errorf("demo series = %s", got)
	}
	var half uuid.UUID
	if err := e.DB.NewRaw(`SELECT id FROM event_series WHERE name = 'Les Fourberies de Scapin' AND internal_ticketing_system_id = 'demo-fourberies'
  AND ticketing_system_id IN (SELECT id FROM ticketing_systems WHERE organization_id = ?)`, e.org.ID).Scan(context.Background(), &half); err != nil {
		t.Fatal(err)
	}
	r := e.cl.Get(e.page(half))
	expectStatus(t, r, 200)
	if v, _ := r.Doc.Find("#f-producerName").Attr("value"); v != "Compagnie du Grand Théâtre" {
		t.Errorf("half-filled serie's producer = %q", v)
	}
}

// While an admin impersonates a user, the history names the user and the admin.
func TestRecordChangeNamesTheImpersonator(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	serie, _ := e.workedExample("SACEM")
	adminID := uuid.New()
	e.exec(`INSERT INTO users (id, email, first_name, last_name, status, is_admin) VALUES (?, ?, 'Ada', 'Admin', 'confirmed', true)`, adminID, "admin-"+adminID.String()+"@example.org")
	by := audit.Actor{UserID: adminID, Email: "admin-" + adminID.String() + "@example.org", OnBehalfOf: &e.user.ID, OnBehalfOfEmail: e.user.Email}
	if err := declarations.RecordChange(context.Background(), e.DB, serie, by, "attachments", "", "contrat.pdf"); err != nil {
		t.Fatal(err)
	}
	got := e.str(`SELECT user_id::text || ' ' || user_email || ' ' || impersonator_id::text || ' ' || impersonator_email || ' ' || new_value FROM declaration_changes WHERE event_serie_id = ?`, serie)
	want := e.user.ID.String() + " " + e.user.Email + " " + adminID.String() + " admin-" + adminID.String() + "@example.org contrat.pdf"
	if got != want {
		t.Errorf("history line = %q, want %q", got, want)
	}
	r := e.cl.Get(e.page(serie))
	if !strings.Contains(r.Text("#declaration-history tbody"), "via l’administrateur admin-") {
		t.Error("the history does not show the impersonating admin")
	}
}
