package synchronization_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/ticketing/ticketingtest"
	"assistant-declaration/app/users"
	"assistant-declaration/config"
)

// TestConnectSynchronizeAndFollowTheRun drives the pages: connect Billetweb (the fake, the user
// being listed for real connectors), refused credentials shown next to the field, the secret
// never rendered back, then "Synchroniser" and the polled progress until done.
func TestConnectSynchronizeAndFollowTheRun(t *testing.T) {
	// Not parallel: a runner claims every pending run of the shared test
	// database, and another test's service (its own fakes and key) must not
	// execute this test's run.
	fake := ticketingtest.NewBilletweb(t)
	userID := uuid.New()
	h := apptest.New(t, func(cfg *config.Config) {
		cfg.BilletwebAPIBaseURL = fake.BaseURL
		cfg.DisableTicketingMockForUserIDs = []uuid.UUID{userID}
	})
	ctx := context.Background()
	email := apptest.UniqueEmail("tix")
	if _, err := h.DB.NewRaw(`INSERT INTO users (id, email, first_name, last_name, status) VALUES (?, ?, 'Camille', 'Martin', 'confirmed')`, userID, email).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	org := orgtest.CreateOrganization(t, h.DB, &users.User{ID: userID, Email: email}, "Compagnie Tix")
	cl := h.Client()
	cl.StartSession(userID, time.Hour)
	list := paths.To.TicketingSystems(org.ID)
	connect := paths.To.TicketingConnect(org.ID)

	if r := cl.Get(list); r.StatusCode != 200 || r.Doc.Find("#ticketing-connect").Length() != 1 {
		t.Fatalf("list: %d", r.StatusCode)
	}
	r := cl.Get(connect + "?system=BILLETWEB")
	if r.StatusCode != 200 || r.Doc.Find(`input[name="access_key"]`).Length() != 1 || r.Doc.Find(`#ticketing-connect-form a[href="/docs/billetweb-connection"]`).Length() != 1 {
		t.Fatalf("connect form: %d", r.StatusCode)
	}

	// Both fields empty: both flagged, and a summary at the top links to each.
	r = cl.PostForm(connect, url.Values{"system": {"BILLETWEB"}}, "HX-Request", "true")
	if r.StatusCode != 422 || r.Text("#ticketing-access-key-messages") != "Ce champ est obligatoire." || r.Text("#ticketing-secret-key-messages") != "Ce champ est obligatoire." {
		t.Errorf("empty fields: %d %q %q", r.StatusCode, r.Text("#ticketing-access-key-messages"), r.Text("#ticketing-secret-key-messages"))
	}
	if r.Doc.Find(`#ticketing-connect-errors[data-error-summary] a[href="#ticketing-access-key"], #ticketing-connect-errors a[href="#ticketing-secret-key"]`).Length() != 2 {
		t.Errorf("no error summary linking to both fields: %s", r.Body)
	}

	// Refused by the remote system: 422, message next to the secret, input kept but the secret.
	r = cl.PostForm(connect, url.Values{"system": {"BILLETWEB"}, "access_key": {ticketingtest.BilletwebUser}, "secret_key": {"wrong-secret"}})
	if r.StatusCode != 422 {
		t.Fatalf("bad credentials: %d", r.StatusCode)
	}
	if msg := r.Text("#ticketing-secret-key-messages .fr-message--error"); msg == "" {
		t.Error("no error next to the secret field")
	}
	if v, _ := r.Doc.Find(`input[name="access_key"]`).Attr("value"); v != ticketingtest.BilletwebUser {
		t.Errorf("access key not kept: %q", v)
	}
	if strings.Contains(r.Body, "wrong-secret") {
		t.Error("the secret was rendered back")
	}

	r = cl.PostForm(connect, url.Values{"system": {"BILLETWEB"}, "access_key": {ticketingtest.BilletwebUser}, "secret_key": {ticketingtest.BilletwebKey}})
	if r.StatusCode != 303 {
		t.Fatalf("connect: %d", r.StatusCode)
	}
	if r = cl.Get(list); r.Doc.Find(`#ticketing-systems tr[data-system="BILLETWEB"]`).Length() != 1 {
		t.Fatal("the connected system is not listed")
	}
	// Before any run it says so, not "Aucune erreur".
	if row := r.Text(`#ticketing-systems tr[data-system="BILLETWEB"]`); !strings.Contains(row, "Jamais") || !strings.Contains(row, "Pas encore synchronisée") || strings.Contains(row, "Aucune erreur") {
		t.Errorf("row before any run: %q", row)
	}
	// A duplicate is refused.
	cl.Get(connect + "?system=BILLETWEB")
	r = cl.PostForm(connect, url.Values{"system": {"BILLETWEB"}, "access_key": {ticketingtest.BilletwebUser}, "secret_key": {ticketingtest.BilletwebKey}})
	if r.StatusCode != 422 || r.Text("#ticketing-access-key-messages") == "" {
		t.Errorf("duplicate: %d", r.StatusCode)
	}
	// Neither the list nor the edit page render the secret.
	r = cl.Get(list)
	edit, _ := r.Doc.Find(`#ticketing-systems a[href$="/edit"]`).Attr("href")
	for _, page := range []string{list, edit} {
		if body := cl.Get(page).Body; strings.Contains(body, ticketingtest.BilletwebKey+`"`) || strings.Contains(body, "value=\""+ticketingtest.BilletwebKey) {
			t.Errorf("%s renders the secret", page)
		}
	}

	// The fake's data dates from 2025.
	if _, err := h.DB.NewRaw(`UPDATE ticketing_systems SET force_next_synchronization_from = '2020-01-01' WHERE organization_id = ?`, org.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	cl.Get(list)
	r = cl.PostForm(paths.To.Synchronize(org.ID), url.Values{}, "HX-Request", "true")
	run := r.Doc.Find("#ticketing-run")
	poll, _ := run.Attr("hx-get")
	if trigger, _ := run.Attr("hx-trigger"); r.StatusCode != 200 || trigger != "every 1s" || poll == "" {
		t.Fatalf("synchronize: %d %q", r.StatusCode, r.Body)
	}
	// A second click shows the same run.
	again := cl.PostForm(paths.To.Synchronize(org.ID), url.Values{}, "HX-Request", "true")
	if p, _ := again.Doc.Find("#ticketing-run").Attr("hx-get"); p != poll {
		t.Errorf("second click: %q, want the same run %q", p, poll)
	}
	// Without JavaScript, the button leads to that run's page, which can be reloaded by a link.
	noJS := cl.PostForm(paths.To.Synchronize(org.ID), url.Values{})
	if loc := noJS.Header.Get("Location"); noJS.StatusCode != 303 || loc != poll {
		t.Errorf("no-JS synchronize: %d to %q, want the run page %q", noJS.StatusCode, loc, poll)
	}
	if page := cl.Get(poll); page.Doc.Find("#ticketing-run-refresh").AttrOr("href", "") != poll || !strings.Contains(page.Body, "<html") {
		t.Errorf("the run page has no refresh link")
	}

	// The worker executes it; the fragment then stops polling.
	svc, err := synchronization.NewService(h.Config, h.DB, slog.New(slog.NewTextHandler(io.Discard, nil)), ticketing.Config{
		Pacing: map[ticketing.System]ticketing.Pacing{ticketing.Billetweb: {}},
	})
	if err != nil {
		t.Fatal(err)
	}
	r = finishRun(t, svc, cl, poll)
	if status := r.Doc.Find("#ticketing-run").AttrOr("data-status", ""); status != string(synchronization.RunSucceeded) {
		t.Fatalf("run %s: %s", status, r.Body)
	}
	if _, polling := r.Doc.Find("#ticketing-run").Attr("hx-trigger"); polling {
		t.Error("a finished run still polls")
	}
	if n := r.Doc.Find(`#ticketing-run li[data-status="succeeded"]`).Length(); n != 1 {
		t.Errorf("systems done = %d", n)
	}
	if got := r.Text(`#ticketing-run li[data-status="succeeded"]`); !strings.Contains(got, "terminée (2 spectacles mis à jour)") {
		t.Errorf("count of the run: %q", got)
	}
	// Polled from the list page, the finished run also brings the systems' new status, which
	// htmx swaps out of band in place of "Jamais".
	if r.Doc.Find("[hx-swap-oob]").Length() != 0 {
		t.Error("the organization page's poll carries the list page's cells")
	}
	r = cl.Get(poll, "HX-Request", "true", "HX-Current-URL", "http://localhost"+list)
	cell := r.Doc.Find(`template td[hx-swap-oob="true"][id$="-last-sync"]`)
	if cell.Length() != 1 || strings.Contains(cell.Text(), "Jamais") || !strings.Contains(cell.Text(), "/20") {
		t.Errorf("out-of-band last synchronization %q in %s", cell.Text(), r.Body)
	}
	// The success is not shown again at later visits; the table keeps the date.
	r = cl.Get(list)
	if r.Doc.Find("#ticketing-run[data-status]").Length() != 0 {
		t.Error("the success of an old run is still shown on the list page")
	}
	if got := r.Text(`#ticketing-systems tr[data-system="BILLETWEB"]`); !strings.Contains(got, "Aucune erreur") || strings.Contains(got, "Jamais") {
		t.Errorf("row after the run: %q", got)
	}
	if r = cl.Get(paths.To.Organization(org.ID)); r.Doc.Find("#ticketing-run[data-status]").Length() != 0 {
		t.Error("the success of an old run is still shown on the organization page")
	}
	// Tab titles name the organization.
	if got := r.Text("title"); got != "Compagnie Tix - Assistant déclaration" {
		t.Errorf("organization page title %q", got)
	}
	r = cl.Get(list)
	if got := r.Text("title"); got != "Systèmes de billetterie — Compagnie Tix - Assistant déclaration" {
		t.Errorf("ticketing systems page title %q", got)
	}
	// A DSFR breadcrumb leads back to the dashboard and the organization.
	crumbs := r.Doc.Find(".fr-breadcrumb__list li")
	if crumbs.Length() != 3 || crumbs.Eq(1).Find("a").AttrOr("href", "") != paths.To.Organization(org.ID) ||
		strings.TrimSpace(crumbs.Eq(2).Text()) != "Systèmes de billetterie" || crumbs.Eq(2).Find(`a[aria-current="page"]`).Length() != 1 {
		t.Errorf("breadcrumb %q", crumbs.Text())
	}

	// Disconnecting keeps the series.
	r = cl.Get(list)
	disconnect, _ := r.Doc.Find(`#ticketing-systems form[action$="/disconnect"]`).Attr("action")
	if r = cl.PostForm(disconnect, url.Values{}); r.StatusCode != 303 {
		t.Fatalf("disconnect: %d", r.StatusCode)
	}
	if r = cl.Get(list); r.Doc.Find("#ticketing-systems").Length() != 0 {
		t.Errorf("after disconnecting: %d", r.StatusCode)
	}
	var series int
	if err := h.DB.NewRaw(`SELECT count(*) FROM event_series es JOIN ticketing_systems ts ON ts.id = es.ticketing_system_id WHERE ts.organization_id = ?`, org.ID).Scan(ctx, &series); err != nil || series != 2 {
		t.Errorf("series after disconnecting = %d (%v), want 2", series, err)
	}
}

// TestUpdateCredentials drives the edit page: masked fields, a refusal shown next to the field
// with the secret never rendered back, then new credentials saved and audited.
func TestUpdateCredentials(t *testing.T) {
	t.Parallel()
	fake := ticketingtest.NewBilletweb(t)
	userID := uuid.New()
	h := apptest.New(t, func(cfg *config.Config) {
		cfg.BilletwebAPIBaseURL = fake.BaseURL
		cfg.DisableTicketingMockForUserIDs = []uuid.UUID{userID}
	})
	ctx := context.Background()
	email := apptest.UniqueEmail("tix-update")
	if _, err := h.DB.NewRaw(`INSERT INTO users (id, email, first_name, last_name, status) VALUES (?, ?, 'Camille', 'Martin', 'confirmed')`, userID, email).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	org := orgtest.Insert(t, h.DB, orgtest.Row{Name: "Compagnie Update", Members: []uuid.UUID{userID}})
	svc, err := synchronization.NewService(h.Config, h.DB, slog.New(slog.NewTextHandler(io.Discard, nil)), ticketing.Config{
		Pacing: map[ticketing.System]ticketing.Pacing{ticketing.Billetweb: {}},
	})
	if err != nil {
		t.Fatal(err)
	}
	creds := ticketing.Credentials{AccessKey: ticketingtest.BilletwebUser, SecretKey: ticketingtest.BilletwebKey}
	sys, errs, err := svc.Connect(ctx, synchronization.ConnectInput{OrganizationID: org.ID, System: ticketing.Billetweb,
		Credentials: creds, Actor: &users.User{ID: userID, Email: email}})
	if err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	cl := h.Client()
	cl.StartSession(userID, time.Hour)

	edit, _ := cl.Get(paths.To.TicketingSystems(org.ID)).Doc.Find(`#ticketing-systems a[href$="/edit"]`).Attr("href")
	r := cl.Get(edit)
	secret := r.Doc.Find(`input[name="secret_key"]`)
	if _, hasValue := secret.Attr("value"); r.StatusCode != 200 || hasValue {
		t.Fatalf("edit page: %d, secret value rendered: %v", r.StatusCode, hasValue)
	}
	if _, masked := secret.Attr("placeholder"); !masked {
		t.Error("the saved secret is not shown as masked")
	}
	if label := r.Text(`label[for="ticketing-secret-key"]`); !strings.HasPrefix(label, "Clé d’accès") || !strings.Contains(label, "lecture seule") {
		t.Errorf("secret label = %q", label)
	}

	r = cl.PostForm(edit, url.Values{"access_key": {ticketingtest.BilletwebUser}, "secret_key": {"wrong-secret"}})
	if r.StatusCode != 422 || r.Text("#ticketing-secret-key-messages .fr-message--error") == "" {
		t.Fatalf("refused credentials: %d", r.StatusCode)
	}
	if strings.Contains(r.Body, "wrong-secret") {
		t.Error("the secret was rendered back")
	}

	var before []byte
	if err := h.DB.NewRaw(`SELECT credentials FROM ticketing_systems WHERE id = ?`, sys.ID).Scan(ctx, &before); err != nil {
		t.Fatal(err)
	}
	r = cl.PostForm(edit, url.Values{"access_key": {creds.AccessKey}, "secret_key": {creds.SecretKey}})
	if r.StatusCode != 303 || r.Header.Get("Location") != paths.To.TicketingSystems(org.ID) {
		t.Fatalf("update: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	var after []byte
	var audited int
	if err := h.DB.NewRaw(`SELECT credentials FROM ticketing_systems WHERE id = ?`, sys.ID).Scan(ctx, &after); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.NewRaw(`SELECT count(*) FROM audit_log WHERE action = ? AND organization_id = ? AND actor_user_id = ?`,
		synchronization.AuditSystemUpdated, org.ID, userID).Scan(ctx, &audited); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(before, after) || audited != 1 {
		t.Errorf("credentials rewritten: %v, audit entries: %d", !bytes.Equal(before, after), audited)
	}

	// Another organization's system (or none) is 404.
	if r := cl.Get(strings.Replace(edit, sys.ID.String(), uuid.NewString(), 1)); r.StatusCode != 404 {
		t.Errorf("unknown system: %d", r.StatusCode)
	}
}

// TestAdminTicketingScreens: the systems in error across organizations, and the resynchronization
// an admin asks for, shown in the organization's run history.
func TestAdminTicketingScreens(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	ctx := context.Background()
	cl := h.Client()
	cl.StartSession(h.CreateUser(apptest.UniqueEmail("tix-admin"), true), time.Hour)
	org := orgtest.Insert(t, h.DB, orgtest.Row{Name: "Compagnie En Erreur"})
	// The admin screens never open the credentials: any bytes will do.
	if _, err := h.DB.NewRaw(`INSERT INTO ticketing_systems (organization_id, name, credentials, last_error_code, last_error_http_status, last_error_at)
		VALUES (?, 'BILLETWEB', '\x00', 'firewall', 403, now())`, org.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}

	r := cl.Get("/admin/ticketing")
	row := r.Doc.Find(`#ticketing-in-error tr:has(a[href="/admin/organizations/` + org.ID.String() + `"])`)
	if r.StatusCode != 200 || row.Length() != 1 || !strings.Contains(row.Text(), "pare-feu") || !strings.Contains(row.Text(), "HTTP 403") {
		t.Fatalf("systems in error: %d, row %q", r.StatusCode, row.Text())
	}
	resync, _ := row.Find("form").Attr("action")
	if r = cl.PostForm(resync, url.Values{}); r.StatusCode != 303 || r.Header.Get("Location") != "/admin/ticketing" {
		t.Fatalf("resynchronize: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	var pending int
	if err := h.DB.NewRaw(`SELECT count(*) FROM synchronization_runs WHERE organization_id = ? AND status = 'pending' AND requested_by IS NULL`,
		org.ID).Scan(ctx, &pending); err != nil || pending != 1 {
		t.Fatalf("pending runs = %d (%v), want 1", pending, err)
	}

	r = cl.Get("/admin/ticketing/organizations/" + org.ID.String())
	if runs := r.Text("#admin-organization-ticketing li"); r.StatusCode != 200 || !strings.Contains(runs, "programmée") || strings.Contains(runs, "pending") {
		t.Errorf("run history: %d %q", r.StatusCode, runs)
	}
	// The page names its organization; an unknown one is not found.
	if crumbs := r.Breadcrumb(t); len(crumbs) < 2 || crumbs[len(crumbs)-2] != "Compagnie En Erreur" {
		t.Errorf("breadcrumb %q does not name the organization", crumbs)
	}
	if r := cl.Get("/admin/ticketing/organizations/" + uuid.NewString()); r.StatusCode != 404 {
		t.Errorf("unknown organization: %d, want 404", r.StatusCode)
	}
}
