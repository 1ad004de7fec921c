package admin_test

import (
	"context"
	"encoding/csv"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/admin"
	"assistant-declaration/app/agencies"
	"assistant-declaration/app/apptest"
	"assistant-declaration/app/attachments"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/mail/mailtest"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/sacd"
	"assistant-declaration/app/sacd/sacdtest"
	"assistant-declaration/app/series"
	"assistant-declaration/app/transmissions"
)

// declared is a serie ready to be sent to its organisms, with its
// organization and its declarant.
type declared struct {
	org, serie, declarant uuid.UUID
	email                 string
	orgName, serieName    string
}

// newDeclared is a serie ready for organisms (such as "SACEM,SACD") at a
// place of postalCode, of an organization with SACEM and SACD ids.
func newDeclared(t *testing.T, h *apptest.Harness, tok, organisms, postalCode string) declared {
	t.Helper()
	ctx := context.Background()
	f := declared{email: apptest.UniqueEmail("declarant"), orgName: "Compagnie " + tok, serieName: "Le cracheur de feu " + tok}
	f.declarant = h.CreateUser(f.email, false)
	f.org = createOrg(t, h, f.orgName, digits(9), time.Now(), f.declarant).ID
	settings, err := organizations.Settings(ctx, h.DB, f.org)
	if err != nil {
		t.Fatal(err)
	}
	if err := organizations.UpdateIdentifiers(ctx, h.DB, settings.Organization, organizations.IdentifiersInput{SacemID: *settings.Organization.SacemID, SacdID: digits(8)}, audit.Actor{}); err != nil {
		t.Fatal(err)
	}
	f.serie, err = series.CreateManual(ctx, h.DB, f.org, series.ManualSerie{Name: f.serieName, Events: []series.ManualEvent{
		{StartAt: time.Date(2024, 12, 1, 10, 0, 0, 0, time.UTC)}}}, audit.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	exec(t, h, `WITH a AS (INSERT INTO addresses (street, city, postal_code, country_code) VALUES ('3 rue du Théâtre', 'Rennes', ?, 'FR') RETURNING id),
p AS (INSERT INTO places (organization_id, name, address_id) SELECT ?, 'Salle de la Cité', a.id FROM a RETURNING id)
UPDATE event_series SET expected_declaration_types = ?::text[], performance_type = 'DANCE', producer_official_id = '130025265',
  producer_name = 'Production Étoile', place_capacity = 200, place_id = (SELECT id FROM p), expenses_including_taxes = 1200,
  expenses_excluding_taxes = 1000 WHERE id = ?`, postalCode, f.org, "{"+organisms+"}", f.serie)
	exec(t, h, `UPDATE events SET ticketing_revenue_including_taxes = 105.5, ticketing_revenue_excluding_taxes = 100, free_tickets = 9, paid_tickets = 10
WHERE event_serie_id = ?`, f.serie)
	return f
}

func exec(t *testing.T, h *apptest.Harness, query string, args ...any) {
	t.Helper()
	if _, err := h.DB.NewRaw(query, args...).Exec(context.Background()); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// newFailedSacem is a serie ready for SACEM whose transmission failed twice
// with code, the last time at failedAt, as the transmissions worker records
// it.
func newFailedSacem(t *testing.T, h *apptest.Harness, tok, code string, failedAt time.Time) declared {
	t.Helper()
	f := newDeclared(t, h, tok, "SACEM", "35000")
	exec(t, h, `WITH t AS (INSERT INTO transmissions (event_serie_id, organization_id, organisms, requested_by, requested_by_email, status, created_at, finished_at)
  VALUES (?, ?, '{SACEM}', ?, ?, 'finished', ?, ?) RETURNING id)
INSERT INTO transmission_attempts (transmission_id, event_serie_id, organism, step, started_at, finished_at, outcome, error_code)
SELECT t.id, ?, 'SACEM', 'email', s.at, s.at, 'failed', ? FROM t, (VALUES (?::timestamptz), (?::timestamptz)) AS s(at)`,
		f.serie, f.org, f.declarant, f.email, failedAt.Add(-time.Hour), failedAt,
		f.serie, code, failedAt.Add(-time.Hour), failedAt)
	if err := declarations.RecordFailed(context.Background(), h.DB, f.serie, declarations.SACEM, code, failedAt); err != nil {
		t.Fatal(err)
	}
	return f
}

// The declarations in error list a failed SACEM declaration with its
// message, its failures and attempts, links to its declaration and its
// organization; the filters narrow it and the CSV holds it.
func TestDeclarationsInError(t *testing.T) {
	t.Parallel()
	h, cl, _ := adminClient(t)
	tok := token(t)
	failedAt := time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)
	f := newFailedSacem(t, h, tok, transmissions.CodeSacemAgencyNotFound, failedAt)

	r := cl.Get(paths.To.AdminDeclarations() + "?q=" + tok)
	if r.StatusCode != 200 {
		t.Fatalf("status %d", r.StatusCode)
	}
	row := r.Doc.Find(`#declarations-table tbody tr[data-serie-id="` + f.serie.String() + `"]`)
	if row.Length() != 1 {
		t.Fatalf("%d rows for the serie:\n%s", row.Length(), r.Text("#declarations-table"))
	}
	cells := row.Find("td")
	if got := strings.TrimSpace(cells.Eq(2).Text()); got != "SACEM" {
		t.Errorf("organism %q", got)
	}
	if got := cells.Eq(3).Text(); !strings.Contains(got, transmissions.CodeSacemAgencyNotFound) || !strings.Contains(got, "agence SACEM") {
		t.Errorf("error cell %q lacks the code or its message", got)
	}
	if got := strings.TrimSpace(cells.Eq(4).Text()); !strings.Contains(got, "14/03/2025") {
		t.Errorf("first failure %q", got)
	}
	if got := strings.TrimSpace(cells.Eq(6).Text()); got != "2" {
		t.Errorf("attempts %q, want 2", got)
	}
	if href := row.Find("td").Eq(1).Find("a").AttrOr("href", ""); href != paths.To.DeclarationAdmin(f.org, f.serie) {
		t.Errorf("declaration link %q", href)
	}
	if href := row.Find("td").Eq(0).Find("a").AttrOr("href", ""); href != paths.To.AdminOrganization(f.org) {
		t.Errorf("organization link %q", href)
	}
	if action := row.Find("form").AttrOr("action", ""); action != paths.To.AdminDeclarationRetry(f.serie) {
		t.Errorf("retry form %q", action)
	}

	count := func(query string) int {
		t.Helper()
		r := cl.Get(paths.To.AdminDeclarations() + "?q=" + tok + "&" + query)
		return r.Doc.Find(`#declarations-table tbody tr[data-serie-id="` + f.serie.String() + `"]`).Length()
	}
	for query, want := range map[string]int{
		"organism=SACEM": 1, "organism=SACD": 0,
		"code=" + transmissions.CodeSacemAgencyNotFound: 1, "code=sacemDeclarationUnsuccessful": 0,
		"from=2025-03-14&to=2025-03-14": 1, "from=2025-03-15": 0, "to=13/03/2025": 0,
		"sort=organization": 1, "sort=-failed": 1,
	} {
		if got := count(query); got != want {
			t.Errorf("%s: %d rows, want %d", query, got, want)
		}
	}
	// The code is a choice among the known codes, each with its French
	// label; an unknown one is left out, as an unknown organism is.
	codes := r.Doc.Find("select#filter-code option")
	if codes.Length() != len(transmissions.ErrorCodes())+1 {
		t.Errorf("%d code options, want %d and \"any\"", codes.Length(), len(transmissions.ErrorCodes()))
	}
	for _, code := range transmissions.ErrorCodes() {
		label := strings.TrimSpace(r.Doc.Find(`select#filter-code option[value="` + code + `"]`).Text())
		if label == "" || strings.Contains(label, "admin.declarations") || label == code {
			t.Errorf("code %s: option label %q", code, label)
		}
	}
	if got := r.Text(`select#filter-code option[value="` + transmissions.CodeSacemAgencyNotFound + `"]`); got != "SACEM : agence introuvable (code postal du lieu)" {
		t.Errorf("sacemAgencyNotFound label %q", got)
	}
	chosen := cl.Get(paths.To.AdminDeclarations() + "?q=" + tok + "&code=" + transmissions.CodeSacemAgencyNotFound)
	if chosen.Doc.Find(`select#filter-code option[value="`+transmissions.CodeSacemAgencyNotFound+`"][selected]`).Length() != 1 {
		t.Error("the chosen code is not selected")
	}
	if got := count("code=" + url.QueryEscape("<x>")); got != 1 {
		t.Errorf("unknown code: %d rows, want the unfiltered 1", got)
	}
	bad := cl.Get(paths.To.AdminDeclarations() + "?from=2025-03-15&to=2025-03-14")
	if bad.StatusCode != 422 || bad.Text("#filter-to-message-error") == "" {
		t.Errorf("invalid filters: status %d, to error %q", bad.StatusCode, bad.Text("#filter-to-message-error"))
	}
	if bad.Doc.Find("form#admin-filters[novalidate]").Length() != 1 {
		t.Error("the filter form lets the browser validate")
	}
	bad.ErrorSummary(t, "filter-to")
	// htmx swaps the results alone: the fields' messages come out of band.
	frag := cl.Get(paths.To.AdminDeclarations()+"?q="+tok+"&from=x-y", "HX-Request", "true")
	if oob := frag.Doc.Find("#filter-from-messages"); frag.StatusCode != 422 || oob.AttrOr("hx-swap-oob", "") != "true" ||
		frag.Text("#filter-from-message-error") == "" || frag.Doc.Find(`#declarations-table tr[data-serie-id="`+f.serie.String()+`"]`).Length() != 1 {
		t.Errorf("htmx invalid date: status %d, out-of-band messages %d", frag.StatusCode, oob.Length())
	}
	// The summary comes out of band too, and goes once the filter is right.
	if summary := frag.Doc.Find(`#admin-filters-summary[hx-swap-oob="true"]`); summary.Find(`a[href="#filter-from"]`).Length() != 1 {
		t.Errorf("htmx invalid date: summary %q", summary.Text())
	}
	fixed := cl.Get(paths.To.AdminDeclarations()+"?q="+tok, "HX-Request", "true")
	if summary := fixed.Doc.Find(`#admin-filters-summary[hx-swap-oob="true"]`); summary.Length() != 1 || summary.Find("[data-error-summary]").Length() != 0 {
		t.Errorf("htmx valid filters: %d summaries, %q", summary.Length(), summary.Text())
	}

	export := cl.Get(paths.To.AdminDeclarationsExport(url.Values{"q": {tok}, "organism": {"SACEM"}}))
	if export.StatusCode != 200 || !strings.HasPrefix(export.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %q", export.StatusCode, export.Header.Get("Content-Type"))
	}
	rd := csv.NewReader(strings.NewReader(strings.TrimPrefix(export.Body, "\ufeff")))
	rd.Comma = ';'
	records, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 2 {
		t.Fatalf("csv %q, want a header and one row", records)
	}
	got := strings.Join(records[1], "|")
	for _, want := range []string{f.orgName, f.serieName, "SACEM", transmissions.CodeSacemAgencyNotFound, "agence SACEM", "2025-03-14 10:30", "|2"} {
		if !strings.Contains(got, want) {
			t.Errorf("csv row %q lacks %q", got, want)
		}
	}
}

// "Relancer" queues one retry on behalf of the declarant, audited with the
// admin; a second click finds the active transmission instead of a second,
// and the worker sends the SACEM agency one e-mail. Not parallel: the
// worker claims every queued transmission of the package's database.
func TestRelaunchAFailedDeclaration(t *testing.T) {
	h, cl, adminID := adminClient(t)
	ctx := context.Background()
	tok := token(t)
	if err := agencies.SeedDemo(ctx, h.DB); err != nil {
		t.Fatal(err)
	}
	f := newFailedSacem(t, h, tok, transmissions.CodeSacemAgencyNotFound, time.Now().Add(-time.Hour))
	back := paths.To.AdminDeclarations() + "?q=" + tok
	page := cl.Get(back)
	csrf := page.Doc.Find(`#declarations-table form input[name="_csrf"]`).AttrOr("value", "")

	for range 2 {
		r := cl.PostForm(paths.To.AdminDeclarationRetry(f.serie), url.Values{"_csrf": {csrf}, "back": {back}})
		if r.StatusCode != 303 || r.Header.Get("Location") != back {
			t.Fatalf("retry = %d %q", r.StatusCode, r.Header.Get("Location"))
		}
	}
	var active []transmissions.Transmission
	if err := h.DB.NewSelect().Model(&active).Where("event_serie_id = ? AND status <> 'finished'", f.serie).Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(active) != 1 || active[0].AdminID == nil || *active[0].AdminID != adminID || active[0].RequestedBy == nil || *active[0].RequestedBy != f.declarant {
		t.Fatalf("active transmissions %+v, want one by the admin for the declarant", active)
	}
	var audited int
	if err := h.DB.NewRaw(`SELECT count(*) FROM audit_log WHERE action = 'declaration.transmission.retry' AND actor_user_id = ? AND details->>'event_serie_id' = ?`,
		adminID, f.serie.String()).Scan(context.Background(), &audited); err != nil {
		t.Fatal(err)
	}
	if audited != 1 {
		t.Errorf("%d audit entries, want 1", audited)
	}
	after := cl.Get(back)
	if !strings.Contains(after.Body, "La transmission est relancée") {
		t.Error("no flash after the retry")
	}
	row := after.Doc.Find(`#declarations-table tbody tr[data-serie-id="` + f.serie.String() + `"]`)
	if row.Find("form").Length() != 0 || !strings.Contains(row.Text(), "Envoi en cours") {
		t.Errorf("a row being sent offers another retry: %q", row.Text())
	}

	svc := &transmissions.Service{DB: h.DB, Store: attachments.PGStore{DB: h.DB}, MaxMessageSize: 20 << 20, BaseURL: "http://assistant.test"}
	for range 2 {
		if err := svc.Tick(ctx); err != nil {
			t.Fatalf("tick: %v", err)
		}
		mailtest.Flush(t, h.DB, h.Catcher)
	}
	sent := 0
	for _, m := range h.Catcher.Messages() {
		if mailtest.To("agence-rennes@sacem.test")(m) && strings.Contains(m.Text, f.serieName) {
			sent++
		}
	}
	if sent != 1 {
		t.Errorf("%d e-mails to the SACEM agency, want 1", sent)
	}
	if r := cl.Get(back); r.Doc.Find(`#declarations-table tbody tr[data-serie-id="`+f.serie.String()+`"]`).Length() != 0 {
		t.Error("the accepted declaration is still listed in error")
	}

	// Non-admins get 404 on the page, its export and the retry.
	user := h.Client()
	user.StartSession(f.declarant, time.Hour)
	for _, r := range []*apptest.Response{user.Get(paths.To.AdminDeclarations()), user.Get(paths.To.AdminDeclarationsExport(nil)),
		user.PostForm(paths.To.AdminDeclarationRetry(f.serie), url.Values{})} {
		if r.StatusCode != 404 {
			t.Errorf("as the declarant: %d, want 404", r.StatusCode)
		}
	}
}

// "Relancer" pressed twice on a declaration both organisms refused sends it
// exactly once more: one call to the SACD fake, one e-mail to each agency.
// The failures are real ones, recorded by the worker: SACD answered 500 and
// no SACEM agency covered the place's postal code, until an admin imports
// the agency. Not parallel: the worker claims every queued transmission of
// the package's database.
func TestRelaunchPressedTwiceSendsOnce(t *testing.T) {
	h, cl, _ := adminClient(t)
	ctx := context.Background()
	tok := token(t)
	if err := agencies.SeedDemo(ctx, h.DB); err != nil {
		t.Fatal(err)
	}
	f := newDeclared(t, h, tok, "SACEM,SACD", "29200") // SACD's Ouest agency takes 29; no SACEM agency has 29200
	// A document, which SACD's agency receives by e-mail once its web service accepted the declaration.
	documents := &attachments.Service{DB: h.DB, Store: attachments.PGStore{DB: h.DB}, Recorder: history{}}
	if added, _, err := documents.Upload(ctx, f.org, f.serie, []attachments.Upload{{Name: "contrat.pdf", Content: strings.NewReader("%PDF-1.4\n%%EOF\n")}},
		audit.Actor{}); err != nil || len(added) != 1 {
		t.Fatalf("upload: %v (%d added)", err, len(added))
	}
	fake := sacdtest.New(t)
	sacdConfig := fake.Config()
	svc := &transmissions.Service{DB: h.DB, Store: attachments.PGStore{DB: h.DB}, MaxMessageSize: 20 << 20, BaseURL: "http://assistant.test",
		Sacd: func(uuid.UUID) sacd.Client { return sacd.NewHTTPClient(sacdConfig) }}
	work := func() {
		t.Helper()
		for range 3 {
			if err := svc.Tick(ctx); err != nil {
				t.Fatalf("tick: %v", err)
			}
			mailtest.Flush(t, h.DB, h.Catcher)
		}
	}
	mails := func(to string) int {
		n := 0
		for _, m := range h.Catcher.Messages() {
			if mailtest.To(to)(m) && strings.Contains(m.Text, f.serieName) {
				n++
			}
		}
		return n
	}

	fake.Fail(sacdtest.ServerError)
	if _, _, err := transmissions.Transmit(ctx, h.DB, f.org, f.serie, audit.Actor{UserID: f.declarant, Email: f.email}); err != nil {
		t.Fatal(err)
	}
	work()
	back := paths.To.AdminDeclarations() + "?q=" + tok
	page := cl.Get(back)
	for _, o := range []string{"SACD", "SACEM"} {
		if page.Doc.Find(`#declarations-table tbody tr[data-serie-id="`+f.serie.String()+`"][data-organism="`+o+`"]`).Length() != 1 {
			t.Fatalf("%s is not listed in error:\n%s", o, page.Text("#declarations-table"))
		}
	}
	if n, sacdMails, sacemMails := len(fake.Declarations()), mails("ouest@sacd.test"), mails("agence-brest@sacem.test"); n != 1 || sacdMails != 0 || sacemMails != 0 {
		t.Fatalf("before the relaunch: %d SACD calls, %d and %d agency e-mails; want 1, 0, 0", n, sacdMails, sacemMails)
	}

	sacemAgencies, err := os.ReadFile("../agencies/testdata/sacem-agencies.sample.csv")
	if err != nil {
		t.Fatal(err)
	}
	withBrest := string(sacemAgencies) + "Délégation Brest (données de test),29200,agence-brest@sacem.test\n"
	if _, err := agencies.Import(ctx, h.DB, agencies.Sacem, strings.NewReader(withBrest)); err != nil {
		t.Fatal(err)
	}
	fake.Fail(sacdtest.Succeed)
	csrf := page.Doc.Find(`#declarations-table form input[name="_csrf"]`).AttrOr("value", "")
	for range 2 {
		if r := cl.PostForm(paths.To.AdminDeclarationRetry(f.serie), url.Values{"_csrf": {csrf}, "back": {back}}); r.StatusCode != 303 {
			t.Fatalf("retry = %d", r.StatusCode)
		}
	}
	work()
	work() // a late tick sends nothing more
	if n := len(fake.Declarations()); n != 2 {
		t.Errorf("SACD received %d declarations, want the refused one and one for the relaunch", n)
	}
	if n := mails("ouest@sacd.test"); n != 1 {
		t.Errorf("%d e-mails to the SACD agency, want 1", n)
	}
	if n := mails("agence-brest@sacem.test"); n != 1 {
		t.Errorf("%d e-mails to the SACEM agency, want 1", n)
	}
	if r := cl.Get(back); r.Doc.Find(`#declarations-table tbody tr[data-serie-id="`+f.serie.String()+`"]`).Length() != 0 {
		t.Errorf("the accepted declaration is still listed in error:\n%s", r.Text("#declarations-table"))
	}
}

// A transmission active for more than SendingTooLong shows among those
// sending for too long. Not parallel, as the worker of
// TestRelaunchAFailedDeclaration would send it.
func TestTransmissionsSendingForTooLong(t *testing.T) {
	h, cl, _ := adminClient(t)
	tok := token(t)
	f := newFailedSacem(t, h, tok, transmissions.CodeSacemAgencyNotFound, time.Now().Add(-time.Hour))
	if _, err := h.DB.NewRaw(`INSERT INTO transmissions (event_serie_id, organization_id, organisms, requested_by_email, status, created_at)
VALUES (?, ?, '{SACEM}', 'x@example.org', 'running', ?)`, f.serie, f.org, time.Now().Add(-admin.SendingTooLong-time.Minute)).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := cl.Get(paths.To.AdminDeclarations())
	if r.Doc.Find(`#stuck-table tr[data-serie-id="`+f.serie.String()+`"]`).Length() != 1 {
		t.Errorf("the stuck transmission is not listed: %q", r.Text("#stuck-table"))
	}
}

// The organization's page shows each serie's state at each organism: in
// error with the code's message, accepted on a date, or to declare.
func TestOrganizationSeriesStatePerOrganism(t *testing.T) {
	t.Parallel()
	h, cl, _ := adminClient(t)
	ctx := context.Background()
	tok := token(t)
	f := newFailedSacem(t, h, tok, transmissions.CodeSacemAgencyNotFound, time.Now().Add(-time.Hour))
	if err := declarations.RecordAccepted(ctx, h.DB, f.serie, declarations.SACD, time.Date(2025, 3, 14, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	other, err := series.CreateManual(ctx, h.DB, f.org, series.ManualSerie{Name: "Autre " + tok, Events: []series.ManualEvent{{StartAt: time.Now()}}}, audit.Actor{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.DB.NewRaw(`UPDATE event_series SET expected_declaration_types = '{SACEM}' WHERE id = ?`, other).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	r := cl.Get(paths.To.AdminOrganization(f.org))
	state := func(serie uuid.UUID, organism string) string {
		return strings.Join(strings.Fields(r.Text(`#series-table tr[data-serie-id="`+serie.String()+`"] [data-organism="`+organism+`"]`)), " ")
	}
	if got := state(f.serie, "SACEM"); !strings.Contains(got, "en erreur ("+transmissions.CodeSacemAgencyNotFound+")") || !strings.Contains(got, "agence SACEM") {
		t.Errorf("failed SACEM: %q", got)
	}
	if got := state(f.serie, "SACD"); !strings.Contains(got, "acceptée le 14/03/2025") {
		t.Errorf("accepted SACD: %q", got)
	}
	if got := state(other, "SACEM"); !strings.Contains(got, "à déclarer") {
		t.Errorf("untransmitted SACEM: %q", got)
	}
}
