package series_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/series"
	"assistant-declaration/app/users"
)

// env is one application with a signed-in collaborator of one organization.
type env struct {
	*apptest.Harness
	t   *testing.T
	org *organizations.Organization
	cl  *apptest.Client
}

func newEnv(t *testing.T) *env {
	t.Helper()
	h := apptest.New(t)
	return newEnvOn(t, h)
}

// newEnvOn adds a user and their organization to an existing application.
func newEnvOn(t *testing.T, h *apptest.Harness) *env {
	t.Helper()
	email := apptest.UniqueEmail("series")
	user := &users.User{ID: h.CreateUser(email, false), Email: email, FirstName: "Camille", LastName: "Martin", Status: "confirmed"}
	org := orgtest.CreateOrganization(t, h.DB, user, "Compagnie "+email)
	cl := h.Client()
	cl.StartSession(user.ID, time.Hour)
	return &env{Harness: h, t: t, org: org, cl: cl}
}

func (e *env) exec(query string, args ...any) {
	e.t.Helper()
	if _, err := e.DB.ExecContext(context.Background(), query, args...); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) count(query string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.DB.NewRaw(query, args...).Scan(context.Background(), &n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// remoteSystem connects a (fake) Billetweb account last synchronized at lastSync.
func (e *env) remoteSystem(lastSync *time.Time) uuid.UUID {
	e.t.Helper()
	var id uuid.UUID
	if err := e.DB.NewRaw(`INSERT INTO ticketing_systems (organization_id, name, credentials, last_synchronized_at)
VALUES (?, 'BILLETWEB', '\x00', ?) RETURNING id`, e.org.ID, lastSync).Scan(context.Background(), &id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

type seedEvent struct {
	start, end time.Time
	revenue    string
}

// seedSerie inserts a serie as the synchronization would, with its
// performances and one declaration row per given status ("PROCESSED",
// "PENDING" without transmission).
func (e *env) seedSerie(systemID uuid.UUID, name string, events []seedEvent, declarations ...string) uuid.UUID {
	e.t.Helper()
	id := uuid.New()
	e.exec(`INSERT INTO event_series (id, ticketing_system_id, internal_ticketing_system_id, name) VALUES (?, ?, ?, ?)`, id, systemID, id.String(), name)
	for _, ev := range events {
		var end *time.Time
		if ev.revenue == "" {
			ev.revenue = "0"
		}
		if !ev.end.IsZero() {
			end = &ev.end
		}
		e.exec(`INSERT INTO events (event_serie_id, internal_ticketing_system_id, start_at, end_at, ticketing_revenue_including_taxes, ticketing_revenue_excluding_taxes, paid_tickets)
VALUES (?, ?, ?, ?, ?, 0, 1)`, id, uuid.NewString(), ev.start, end, ev.revenue)
	}
	for i, status := range declarations {
		typ := []string{"SACEM", "SACD"}[i]
		var transmitted *time.Time
		if status == "PROCESSED" {
			now := time.Now()
			transmitted = &now
		}
		e.exec(`INSERT INTO event_serie_declarations (event_serie_id, type, status, transmitted_at) VALUES (?, ?, ?, ?)`, id, typ, status, transmitted)
	}
	return id
}

func expectStatus(t *testing.T, r *apptest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL, r.StatusCode, status, r.Body)
	}
}

func (e *env) orgPath() string { return "/dashboard/organization/" + e.org.ID.String() }

func rowNames(r *apptest.Response) []string {
	var names []string
	r.Doc.Find("#series-table tbody tr .series-name").Each(func(_ int, s *goquery.Selection) {
		names = append(names, strings.TrimSpace(s.Text()))
	})
	return names
}

func TestListFiltersCountsAndNudge(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	old := time.Now().Add(-25 * time.Hour)
	sys := e.remoteSystem(&old)
	day := func(d int, hour int) time.Time {
		now := time.Now()
		return time.Date(now.Year(), now.Month(), now.Day(), hour, 0, 0, 0, time.UTC).AddDate(0, 0, d)
	}
	e.seedSerie(sys, "Le cracheur de feu", []seedEvent{
		{start: day(-20, 18), end: day(-20, 20), revenue: "105.5"},
		{start: day(-10, 18), revenue: "1284.75"},
	})
	e.seedSerie(sys, "Soirée unique", []seedEvent{{start: day(-5, 18), end: day(-5, 20), revenue: "1350"}})
	e.seedSerie(sys, "À venir", []seedEvent{{start: day(-1, 18)}, {start: day(10, 18)}})
	e.seedSerie(sys, "Sans date", nil)
	e.seedSerie(sys, "En erreur", []seedEvent{{start: day(-30, 18), revenue: "10"}}, "PENDING")
	e.seedSerie(sys, "Déclaré", []seedEvent{{start: day(-40, 18), revenue: "10"}}, "PROCESSED", "PROCESSED")
	e.seedSerie(sys, "Moitié en erreur", []seedEvent{{start: day(-50, 18), revenue: "10"}}, "PROCESSED", "PENDING")

	// Default tab: "À déclarer" (decision D9 in docs/decisions.md: the serie without performances is not there).
	r := e.cl.Get(e.orgPath())
	expectStatus(t, r, http.StatusOK)
	if got := strings.Join(rowNames(r), "|"); got != "Soirée unique|Le cracheur de feu" {
		t.Errorf("to declare: %s", got)
	}
	for filter, want := range map[string]string{"all": "(7)", "to-declare": "(2)", "alert": "(2)", "declared": "(1)"} {
		if got := r.Text("#series-filter-" + filter + " .series-count"); got != want {
			t.Errorf("count of %s = %q, want %q", filter, got, want)
		}
	}
	if r.Doc.Find("#series-filter-to-declare[aria-current=page]").Length() != 1 {
		t.Error("the default tab is not the current one")
	}
	if got := r.Text("#series-filter-alert .fr-badge"); got != "2" {
		t.Errorf("alert badge %q", got)
	}
	// French dates and amounts: a range, and one day with its time.
	row := r.Doc.Find("#series-table tbody tr").Last()
	wantDates := day(-20, 18).Format("02/01/2006") + "\u00a0→\u00a0" + day(-10, 18).Format("02/01/2006")
	if got := strings.TrimSpace(row.Find(".series-dates").Text()); got != wantDates {
		t.Errorf("dates %q, want %q", got, wantDates)
	}
	if !strings.Contains(row.Text(), "1\u202f390,25\u00a0€") {
		t.Errorf("revenue missing: %s", row.Text())
	}
	first := r.Doc.Find("#series-table tbody tr").First()
	if got := strings.TrimSpace(first.Find(".series-dates").Text()); !strings.HasSuffix(got, ", 20:00") && !strings.HasSuffix(got, ", 19:00") {
		t.Errorf("same-day date %q", got)
	}
	if got := strings.TrimSpace(first.Find("td:first-child .fr-text--xs").Text()); got != "Billetweb" {
		t.Errorf("system name %q", got)
	}
	if r.Doc.Find("#series-sync-nudge").Length() != 1 {
		t.Error("no nudge although the last synchronization is older than 24 hours")
	}
	// Synchronized series cannot be edited here.
	if r.Doc.Find("#series-table a[href$='/edit']").Length() != 0 {
		t.Error("edit link on a synchronized serie")
	}

	tabs := map[string]string{
		"all":      "À venir|Soirée unique|Le cracheur de feu|En erreur|Déclaré|Moitié en erreur|Sans date",
		"alert":    "En erreur|Moitié en erreur",
		"declared": "Déclaré",
	}
	for filter, want := range tabs {
		r := e.cl.Get(e.orgPath() + "?filter=" + filter)
		if got := strings.Join(rowNames(r), "|"); got != want {
			t.Errorf("%s: %s, want %s", filter, got, want)
		}
	}

	// htmx asks the fragment; without htmx the fragment URL sends to the page.
	r = e.cl.Get(e.orgPath()+"/series?filter=declared", "HX-Request", "true")
	expectStatus(t, r, http.StatusOK)
	if strings.Contains(r.Body, "<html") || strings.Join(rowNames(r), "|") != "Déclaré" {
		t.Errorf("fragment: %s", r.Body)
	}
	if r.Doc.Find("#series-filter-declared[aria-current=page]").Length() != 1 {
		t.Error("fragment tab not current")
	}
	r = e.cl.Get(e.orgPath() + "/series?filter=declared")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != e.orgPath()+"?filter=declared" {
		t.Errorf("no-JS fragment URL: %d %s", r.StatusCode, r.Header.Get("Location"))
	}

	// A tab without series says so.
	e.exec(`DELETE FROM event_series WHERE name IN ('En erreur', 'Moitié en erreur')`)
	if r := e.cl.Get(e.orgPath() + "?filter=alert"); r.Text("#series-none") != "Aucun spectacle n’a été trouvé avec le filtre choisi." {
		t.Errorf("empty tab: %q", r.Text("#series-none"))
	}

	// A recent synchronization: no nudge, its date instead.
	e.exec(`UPDATE ticketing_systems SET last_synchronized_at = now() - interval '1 hour' WHERE id = ?`, sys)
	r = e.cl.Get(e.orgPath())
	if r.Doc.Find("#series-sync-nudge").Length() != 0 || !strings.HasPrefix(r.Text("#series-last-sync"), "Dernière synchronisation : ") {
		t.Errorf("recent synchronization: nudge %d, %q", r.Doc.Find("#series-sync-nudge").Length(), r.Text("#series-last-sync"))
	}
	// One system never synchronized is enough for the nudge.
	e.remoteSystem(nil)
	if r := e.cl.Get(e.orgPath()); !strings.Contains(r.Text("#series-sync-nudge"), "jamais") {
		t.Errorf("never synchronized: %q", r.Text("#series-sync-nudge"))
	}
}

func TestEmptyStateInvitesToConnectOrAdd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.cl.Get(e.orgPath())
	expectStatus(t, r, http.StatusOK)
	if r.Doc.Find("#series-empty").Length() != 1 || r.Doc.Find("#series-filter-all").Length() != 0 {
		t.Error("no empty state, or tabs without series")
	}
	if r.Doc.Find("a[href$='/ticketing-system/connect']").Length() != 1 || r.Doc.Find("#series-add").Length() != 1 {
		t.Error("no invitation to connect a ticketing system or add a serie")
	}
	if r.Doc.Find("#series-sync-nudge").Length() != 0 {
		t.Error("nudge without remote system")
	}
}

// form is a manual serie form with its CSRF token added by the client.
func form(name string, events ...[2]string) url.Values {
	v := url.Values{"name": {name}}
	for i, ev := range events {
		v.Set(series.EventField(i, "startAt"), ev[0])
		v.Set(series.EventField(i, "endAt"), ev[1])
	}
	return v
}

func TestManualSerieLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.cl.Get(e.orgPath() + "/series/new")
	expectStatus(t, r, http.StatusOK)
	if r.Text("h1") != "Ajout manuel d’un spectacle" || r.Doc.Find("#event-0-start").Length() != 1 {
		t.Fatalf("add form: %s", r.Body)
	}

	// Every validation message, next to its field, with the input kept.
	r = e.cl.PostForm(e.orgPath()+"/series", form("",
		[2]string{"", "2026-03-01T20:00"},
		[2]string{"2026-03-01T20:00", "2026-03-01T19:00"},
		[2]string{"2019-05-01T20:00", ""},
		[2]string{"demain", ""}))
	expectStatus(t, r, http.StatusUnprocessableEntity)
	want := map[string]string{
		"#serie-name-message-error":    "Le nom est requis",
		"#event-0-start-message-error": "La date de début est requise",
		"#event-1-end-message-error":   "La date de fin doit être postérieure à la date de début de représentation",
		"#event-2-start-message-error": "La date doit être comprise entre le 01/01/2020 et le 01/01/2050",
		"#event-3-start-message-error": "La date doit être au format jj/mm/aaaa hh:mm",
	}
	for sel, msg := range want {
		if got := r.Text(sel); got != msg {
			t.Errorf("%s = %q, want %q", sel, got, msg)
		}
	}
	if v, _ := r.Doc.Find("#event-1-end").Attr("value"); v != "2026-03-01T19:00" {
		t.Errorf("input not kept: %q", v)
	}
	// And listed at the top, in the form's order, each a link to its field.
	r.ErrorSummary(t, "serie-name", "event-0-start", "event-1-end", "event-2-start", "event-3-start")
	// No performance at all (a forged form).
	r = e.cl.PostForm(e.orgPath()+"/series", url.Values{"name": {"Rien"}})
	expectStatus(t, r, http.StatusUnprocessableEntity)
	if got := r.Text("#serie-events-error"); got != "Il doit y avoir 1 représentation(s) au minimum" {
		t.Errorf("no events: %q", got)
	}

	// "Ajouter une autre représentation" re-renders the form with one more.
	v := form("Le cracheur de feu", [2]string{"2026-03-01T20:00", "2026-03-01T22:00"})
	v.Set("action", "add-event")
	r = e.cl.PostForm(e.orgPath()+"/series", v, "HX-Request", "true")
	expectStatus(t, r, http.StatusOK)
	if r.Doc.Find("#event-1-start").Length() != 1 || strings.Contains(r.Body, "<html") {
		t.Fatalf("add event: %s", r.Body)
	}
	if e.count(`SELECT count(*) FROM event_series s JOIN ticketing_systems ts ON ts.id = s.ticketing_system_id WHERE ts.organization_id = ?`, e.org.ID) != 0 {
		t.Fatal("adding a performance saved the serie")
	}
	// At the limit, "add" adds nothing and still does not save.
	full := make([][2]string, series.MaxEvents)
	for i := range full {
		full[i] = [2]string{"2026-03-01T20:00", ""}
	}
	v = form("Complet", full...)
	v.Set("action", "add-event")
	r = e.cl.PostForm(e.orgPath()+"/series", v, "HX-Request", "true")
	expectStatus(t, r, http.StatusOK)
	if n := r.Doc.Find("fieldset[id^='event-']").Length(); n != series.MaxEvents || r.Doc.Find("#serie-add-event").Length() != 0 {
		t.Fatalf("%d performances, add button %d", n, r.Doc.Find("#serie-add-event").Length())
	}
	if e.count(`SELECT count(*) FROM event_series s JOIN ticketing_systems ts ON ts.id = s.ticketing_system_id WHERE ts.organization_id = ?`, e.org.ID) != 0 {
		t.Fatal("adding a performance past the limit saved the serie")
	}

	// Saved: the MANUAL system is created on demand.
	r = e.cl.PostForm(e.orgPath()+"/series", form("Le cracheur de feu",
		[2]string{"2026-03-01T20:00", "2026-03-01T22:00"}, [2]string{"2026-03-02T20:30", ""}))
	expectStatus(t, r, http.StatusSeeOther)
	if loc := r.Header.Get("Location"); loc != e.orgPath()+"?filter=all" {
		t.Errorf("redirect %q", loc)
	}
	var serieID uuid.UUID
	if err := e.DB.NewRaw(`SELECT s.id FROM event_series s JOIN ticketing_systems ts ON ts.id = s.ticketing_system_id
WHERE ts.organization_id = ? AND ts.name = 'MANUAL' AND s.name = 'Le cracheur de feu' AND s.ticketing_revenue_tax_rate = 0.055`, e.org.ID).
		Scan(context.Background(), &serieID); err != nil {
		t.Fatal(err)
	}
	// 20:00 in Paris in winter is 19:00 UTC.
	if n := e.count(`SELECT count(*) FROM events WHERE event_serie_id = ? AND ((start_at = '2026-03-01T19:00:00Z' AND end_at = '2026-03-01T21:00:00Z')
OR (start_at = '2026-03-02T19:30:00Z' AND end_at IS NULL)) AND ticketing_revenue_including_taxes = 0 AND paid_tickets = 0`, serieID); n != 2 {
		t.Errorf("%d events as typed", n)
	}
	r = e.cl.Get(e.orgPath() + "?filter=all")
	if got := r.Text(".fr-alert--success"); got != "Le spectacle a été ajouté." {
		t.Errorf("flash %q", got)
	}
	if got := strings.TrimSpace(r.Doc.Find("#series-table .series-dates").First().Text()); got != "01/03/2026\u00a0→\u00a002/03/2026" {
		t.Errorf("dates %q", got)
	}
	// A second manual serie shares the MANUAL system.
	expectStatus(t, e.cl.PostForm(e.orgPath()+"/series", form("Second", [2]string{"2026-04-01T20:00", ""})), http.StatusSeeOther)
	if n := e.count(`SELECT count(*) FROM ticketing_systems WHERE organization_id = ? AND name = 'MANUAL'`, e.org.ID); n != 1 {
		t.Errorf("%d MANUAL systems", n)
	}

	// Edit: performances by start, then one changed, one removed, one added.
	edit := e.orgPath() + "/serie/" + serieID.String() + "/edit"
	r = e.cl.Get(edit)
	expectStatus(t, r, http.StatusOK)
	if v, _ := r.Doc.Find("#serie-name").Attr("value"); v != "Le cracheur de feu" {
		t.Errorf("name %q", v)
	}
	// The page names its serie, under the serie's declaration page.
	checkNamed(t, r, "Modifier le spectacle «\u00a0Le cracheur de feu\u00a0»", "Modification — Le cracheur de feu — "+e.org.Name,
		"Tableau de bord", e.org.Name, "Le cracheur de feu", "Modification")
	if href, _ := r.Doc.Find(".fr-breadcrumb__list li:nth-child(3) a").Attr("href"); href != e.orgPath()+"/serie/"+serieID.String()+"/declaration" {
		t.Errorf("serie step links to %q", href)
	}
	if v, _ := r.Doc.Find("#event-1-start").Attr("value"); v != "2026-03-02T20:30" {
		t.Errorf("second start %q", v)
	}
	firstID, _ := r.Doc.Find("input[name='events.0.id']").Attr("value")
	// Removing the second performance only re-renders.
	v = url.Values{"name": {"Le cracheur de feu"}, "events.0.id": {firstID}, "events.0.startAt": {"2026-03-01T20:00"},
		"events.1.startAt": {"2026-03-02T20:30"}, "action": {"remove-event-1"}}
	r = e.cl.PostForm(edit, v)
	expectStatus(t, r, http.StatusOK)
	if r.Doc.Find("#event-1-start").Length() != 0 {
		t.Error("performance not removed from the form")
	}
	v = url.Values{"name": {"Le grand cracheur"},
		"events.0.id": {firstID}, "events.0.startAt": {"2026-03-01T21:00"}, "events.0.endAt": {""},
		"events.1.startAt": {"2026-03-05T20:00"}, "events.1.endAt": {"2026-03-05T21:00"}}
	r = e.cl.PostForm(edit, v)
	expectStatus(t, r, http.StatusSeeOther)
	if n := e.count(`SELECT count(*) FROM events WHERE event_serie_id = ?`, serieID); n != 2 {
		t.Errorf("%d events after edit", n)
	}
	if n := e.count(`SELECT count(*) FROM events WHERE id = ? AND start_at = '2026-03-01T20:00:00Z' AND end_at IS NULL`, firstID); n != 1 {
		t.Error("kept performance not updated")
	}
	if n := e.count(`SELECT count(*) FROM event_series WHERE id = ? AND name = 'Le grand cracheur'`, serieID); n != 1 {
		t.Error("not renamed")
	}
	// Validation on edit too.
	r = e.cl.PostForm(edit, url.Values{"name": {""}, "events.0.id": {firstID}, "events.0.startAt": {"2026-03-01T21:00"}})
	expectStatus(t, r, http.StatusUnprocessableEntity)
	if r.Text("#serie-name-message-error") != "Le nom est requis" {
		t.Error("no error on edit")
	}
	r.ErrorSummary(t, "serie-name")
	// The title keeps the stored name, not the empty one typed.
	if got := r.Text("h1"); got != "Modifier le spectacle «\u00a0Le grand cracheur\u00a0»" {
		t.Errorf("h1 %q", got)
	}

	// Delete: a confirmation page, then the serie and its performances go.
	del := e.orgPath() + "/serie/" + serieID.String() + "/delete"
	r = e.cl.Get(del)
	expectStatus(t, r, http.StatusOK)
	if got := r.Text("#serie-delete-question"); got != "Êtes-vous sûr de vouloir supprimer le spectacle Le grand cracheur ?" {
		t.Errorf("question %q", got)
	}
	checkNamed(t, r, "Supprimer le spectacle «\u00a0Le grand cracheur\u00a0»", "Suppression — Le grand cracheur — "+e.org.Name,
		"Tableau de bord", e.org.Name, "Le grand cracheur", "Suppression")
	expectStatus(t, e.cl.PostForm(del, url.Values{}), http.StatusSeeOther)
	if n := e.count(`SELECT count(*) FROM events WHERE event_serie_id = ?`, serieID); n != 0 {
		t.Error("events left")
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE organization_id = ? AND action IN ('serie_created', 'serie_updated', 'serie_deleted')`, e.org.ID); n != 4 {
		t.Errorf("%d audit entries", n)
	}
	expectStatus(t, e.cl.Get(edit), http.StatusNotFound)
}

func TestManualSerieWithDeclarationIsFrozen(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	id, err := series.CreateManual(context.Background(), e.DB, e.org.ID,
		series.ManualSerie{Name: "Déjà déclaré", Events: []series.ManualEvent{{StartAt: time.Date(2025, 1, 1, 20, 0, 0, 0, time.UTC)}}}, audit.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	e.exec(`INSERT INTO event_serie_declarations (event_serie_id, type) VALUES (?, 'SACEM')`, id)
	base := e.orgPath() + "/serie/" + id.String()
	for _, r := range []*apptest.Response{e.cl.Get(base + "/edit"), e.cl.PostForm(base+"/edit", form("Autre", [2]string{"2026-01-01T20:00", ""}))} {
		expectStatus(t, r, http.StatusConflict)
		if !strings.Contains(r.Body, "Une déclaration déjà transmise auprès d’un organisme ne peut pas être modifiée") {
			t.Errorf("message missing: %s", r.Body)
		}
	}
	for _, r := range []*apptest.Response{e.cl.Get(base + "/delete"), e.cl.PostForm(base+"/delete", url.Values{})} {
		expectStatus(t, r, http.StatusConflict)
		if !strings.Contains(r.Body, "Ce spectacle n’est plus supprimable") {
			t.Errorf("message missing: %s", r.Body)
		}
	}
	if n := e.count(`SELECT count(*) FROM event_series WHERE id = ? AND name = 'Déjà déclaré'`, id); n != 1 {
		t.Error("serie changed")
	}
	// The list shows it without edit/delete actions.
	r := e.cl.Get(e.orgPath() + "?filter=all")
	if r.Doc.Find("#series-table a[href$='/edit']").Length() != 0 || !strings.Contains(r.Text("#series-table tbody"), "Ce spectacle n’est plus modifiable") {
		t.Error("locked serie still editable in the list")
	}
}

func TestOtherOrganizationsSeriesAreNotFound(t *testing.T) {
	t.Parallel()
	a := newEnv(t)
	b := newEnvOn(t, a.Harness)
	id, err := series.CreateManual(context.Background(), a.DB, a.org.ID,
		series.ManualSerie{Name: "De A", Events: []series.ManualEvent{{StartAt: time.Now()}}}, audit.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	// B uses its own organization in the path with A's serie, then A's organization.
	for _, base := range []string{b.orgPath(), a.orgPath()} {
		path := base + "/serie/" + id.String()
		expectStatus(t, b.cl.Get(path+"/edit"), http.StatusNotFound)
		expectStatus(t, b.cl.PostForm(path+"/edit", form("Volé", [2]string{"2026-01-01T20:00", ""})), http.StatusNotFound)
		expectStatus(t, b.cl.Get(path+"/delete"), http.StatusNotFound)
		expectStatus(t, b.cl.PostForm(path+"/delete", url.Values{}), http.StatusNotFound)
	}
	expectStatus(t, b.cl.Get(b.orgPath()+"/serie/not-a-uuid/edit"), http.StatusNotFound)
	if r := b.cl.Get(b.orgPath() + "?filter=all"); strings.Contains(r.Body, "De A") {
		t.Error("B sees A's serie")
	}
	if n := a.count(`SELECT count(*) FROM event_series WHERE id = ? AND name = 'De A'`, id); n != 1 {
		t.Error("A's serie changed")
	}
	// A synchronized serie is not editable here.
	sys := a.remoteSystem(nil)
	synced := a.seedSerie(sys, "Synchronisé", []seedEvent{{start: time.Now()}})
	expectStatus(t, a.cl.Get(a.orgPath()+"/serie/"+synced.String()+"/edit"), http.StatusConflict)
	expectStatus(t, a.cl.PostForm(a.orgPath()+"/serie/"+synced.String()+"/delete", url.Values{}), http.StatusConflict)
}

// Each serie of the list leads to its declaration, with an action named for
// its state: "Déclarer" (untouched), "Compléter" (saved once or attempted),
// "Voir la déclaration" (every chosen organism accepted).
func TestListLinksEachSerieToItsDeclaration(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sys := e.remoteSystem(nil)
	past := time.Now().AddDate(0, 0, -3)
	fresh := e.seedSerie(sys, "Intacte", []seedEvent{{start: past}})
	started := e.seedSerie(sys, "Commencée", []seedEvent{{start: past}})
	e.exec(`UPDATE event_series SET last_manual_update_at = now() WHERE id = ?`, started)
	accepted := e.seedSerie(sys, "Acceptée", []seedEvent{{start: past}}, "PROCESSED")
	e.exec(`UPDATE event_series SET expected_declaration_types = '{SACEM}' WHERE id = ?`, accepted)

	r := e.cl.Get(e.orgPath() + "?filter=all")
	expectStatus(t, r, http.StatusOK)
	for id, want := range map[uuid.UUID]string{fresh: "Déclarer", started: "Compléter", accepted: "Voir la déclaration"} {
		row := r.Doc.Find(`#series-table tr[data-serie-id="` + id.String() + `"]`)
		href := paths.To.Declaration(e.org.ID, id)
		if got, _ := row.Find("a.series-name").Attr("href"); got != href {
			t.Errorf("serie %s: name links to %q, want %q", id, got, href)
		}
		action := row.Find(`a.fr-btn[href="` + href + `"]`)
		if got := strings.TrimSpace(action.Text()); got != want {
			t.Errorf("serie %s: action %q, want %q", id, got, want)
		}
	}
}

// checkNamed checks the h1, the tab's title and the breadcrumb of a page.
func checkNamed(t *testing.T, r *apptest.Response, h1, title string, breadcrumb ...string) {
	t.Helper()
	if got := r.Text("h1"); got != h1 {
		t.Errorf("h1 %q, want %q", got, h1)
	}
	if got := r.Text("title"); got != title+" - Assistant déclaration" {
		t.Errorf("title %q, want %q", got, title)
	}
	if got := r.Breadcrumb(t); strings.Join(got, " > ") != strings.Join(breadcrumb, " > ") {
		t.Errorf("breadcrumb %q, want %q", got, breadcrumb)
	}
}

// Overview reads the organization's systems and latest run once, whether it
// has series or none.
func TestOverviewReadsTheSystemsAndLatestRun(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	now := time.Now()
	overview := func() (*series.List, *series.SyncState, uuid.UUID) {
		t.Helper()
		list, st, run, err := series.Overview(ctx, e.DB.Pool, e.org.ID, series.ParseFilter("all"), now)
		if err != nil {
			t.Fatal(err)
		}
		if run == nil {
			return list, st, uuid.Nil
		}
		return list, st, run.ID
	}
	if list, st, run := overview(); list.Total != 0 || st.HasRemoteSystems || run != uuid.Nil {
		t.Fatalf("empty organization: %d series, %+v, run %s", list.Total, st, run)
	}

	sys := e.remoteSystem(&now)
	e.seedSerie(sys, "Première", nil)
	e.seedSerie(sys, "Seconde", nil)
	runID := uuid.New()
	e.exec(`INSERT INTO synchronization_runs (id, organization_id, status, finished_at) VALUES (?, ?, 'succeeded', now())`, runID, e.org.ID)
	list, st, run := overview()
	if list.Total != 2 || !st.HasRemoteSystems || st.Stale || run != runID {
		t.Errorf("with series: %d series, %+v, run %s, want %s", list.Total, st, run, runID)
	}
}
