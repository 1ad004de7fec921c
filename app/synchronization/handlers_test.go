package synchronization_test

import (
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
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/ticketing/ticketingtest"
	"assistant-declaration/app/web"
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
	org := orgtest.CreateOrganization(t, h.DB, &web.User{ID: userID, Email: email}, "Compagnie Tix")
	cl := h.Client()
	cl.StartSession(userID, time.Hour)
	list := synchronization.ListPath(org.ID)
	connect := synchronization.ConnectPath(org.ID)

	if r := cl.Get(list); r.StatusCode != 200 || r.Doc.Find("#ticketing-connect").Length() != 1 {
		t.Fatalf("list: %d", r.StatusCode)
	}
	r := cl.Get(connect + "?system=BILLETWEB")
	if r.StatusCode != 200 || r.Doc.Find(`input[name="access_key"]`).Length() != 1 || r.Doc.Find(`#ticketing-connect-form a[href="/docs/billetweb-connection"]`).Length() != 1 {
		t.Fatalf("connect form: %d", r.StatusCode)
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
	r = cl.PostForm(synchronization.SynchronizePath(org.ID), url.Values{}, "HX-Request", "true")
	run := r.Doc.Find("#ticketing-run")
	poll, _ := run.Attr("hx-get")
	if trigger, _ := run.Attr("hx-trigger"); r.StatusCode != 200 || trigger != "every 1s" || poll == "" {
		t.Fatalf("synchronize: %d %q", r.StatusCode, r.Body)
	}
	// A second click shows the same run.
	again := cl.PostForm(synchronization.SynchronizePath(org.ID), url.Values{}, "HX-Request", "true")
	if p, _ := again.Doc.Find("#ticketing-run").Attr("hx-get"); p != poll {
		t.Errorf("second click: %q, want the same run %q", p, poll)
	}

	// The worker executes it; the fragment then stops polling.
	svc, err := synchronization.NewService(h.Config, h.DB, slog.New(slog.NewTextHandler(io.Discard, nil)), ticketing.Config{
		Pacing: map[ticketing.System]ticketing.Pacing{ticketing.Billetweb: {}},
	})
	if err != nil {
		t.Fatal(err)
	}
	runner := synchronization.NewRunner(svc, 4)
	defer runner.Shutdown()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := runner.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		runner.Wait()
		r = cl.Get(poll, "HX-Request", "true")
		status, _ := r.Doc.Find("#ticketing-run").Attr("data-status")
		if status == synchronization.RunSucceeded {
			break
		}
		if status == synchronization.RunFailed || time.Now().After(deadline) {
			t.Fatalf("run %s: %s", status, r.Body)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, polling := r.Doc.Find("#ticketing-run").Attr("hx-trigger"); polling {
		t.Error("a finished run still polls")
	}
	if n := r.Doc.Find(`#ticketing-run li[data-status="succeeded"]`).Length(); n != 1 {
		t.Errorf("systems done = %d", n)
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
