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
	"assistant-declaration/app/paths"
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/ticketing/ticketingtest"
	"assistant-declaration/app/users"
	"assistant-declaration/config"
)

// mapadoRun connects an organization to the Mapado fake through the real connector, runs one
// synchronization to its end and returns the user's client, the admin's client, the organization
// and the finished run's fragment.
func mapadoRun(t *testing.T, fake *ticketingtest.Mapado) (user, admin *apptest.Client, orgID uuid.UUID, run *apptest.Response) {
	t.Helper()
	userID := uuid.New()
	h := apptest.New(t, func(cfg *config.Config) {
		cfg.MapadoAPIBaseURL = fake.URL
		cfg.DisableTicketingMockForUserIDs = []uuid.UUID{userID}
	})
	ctx := context.Background()
	email := apptest.UniqueEmail("tix-notice")
	if _, err := h.DB.NewRaw(`INSERT INTO users (id, email, first_name, last_name, status) VALUES (?, ?, 'Camille', 'Martin', 'confirmed')`, userID, email).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	orgID = orgtest.Insert(t, h.DB, orgtest.Row{Name: "Compagnie Mapado", Members: []uuid.UUID{userID}}).ID
	svc, err := synchronization.NewService(h.Config, h.DB, slog.New(slog.NewTextHandler(io.Discard, nil)), ticketing.Config{})
	if err != nil {
		t.Fatal(err)
	}
	sys, errs, err := svc.Connect(ctx, synchronization.ConnectInput{OrganizationID: orgID, System: ticketing.Mapado,
		Credentials: ticketing.Credentials{SecretKey: ticketingtest.MapadoToken}, Actor: &users.User{ID: userID, Email: email}})
	if err != nil || errs.Any() {
		t.Fatal(errs, err)
	}
	// The fake's data dates from 2025: widen the first window to reach it.
	if _, err := h.DB.NewRaw(`UPDATE ticketing_systems SET force_next_synchronization_from = '2020-01-01' WHERE id = ?`, sys.ID).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	user = h.Client()
	user.StartSession(userID, time.Hour)
	admin = h.Client()
	admin.StartSession(h.CreateUser(apptest.UniqueEmail("tix-admin"), true), time.Hour)

	r := user.PostForm(paths.To.Synchronize(orgID), url.Values{}, "HX-Request", "true")
	poll, _ := r.Doc.Find("#ticketing-run").Attr("hx-get")
	return user, admin, orgID, finishRun(t, svc, user, poll)
}

// finishRun has a runner over svc execute the pending runs until the run polled at poll is
// finished, and returns its last fragment.
func finishRun(t *testing.T, svc *synchronization.Service, cl *apptest.Client, poll string) *apptest.Response {
	t.Helper()
	runner := synchronization.NewRunner(svc, 1)
	defer runner.Shutdown()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if err := runner.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
		runner.Wait()
		run := cl.Get(poll, "HX-Request", "true")
		if synchronization.RunStatus(run.Doc.Find("#ticketing-run").AttrOr("data-status", "")).Finished() {
			return run
		}
		if time.Now().After(deadline) {
			t.Fatalf("run not finished: %s", run.Body)
		}
	}
}

// A sale in another currency than the euro has its own code and says which currency, to the user
// and, with the detail, to the admins; it is not an unreadable answer.
func TestForeignCurrencyIsNamedToTheUserAndTheAdmin(t *testing.T) {
	// Not parallel: finishRun's runner claims every pending run of the shared test database.
	fake := ticketingtest.NewMapado(t)
	fake.SetTicketings(ticketingtest.ObjectsJSON(`[{"@id":"/v1/ticketings/700","type":"dated_events","title":"Le Cid","currency":"CHF",
  "eventDateList":["/v1/event_dates/3001","/v1/event_dates/3002"],"venue":{"countryCode":"FR"}}]`))
	user, admin, orgID, run := mapadoRun(t, fake)
	const want = "Votre billetterie contient des ventes en CHF : seules les ventes en euros peuvent être déclarées."
	if got := run.Text("#ticketing-run"); !strings.Contains(got, want) {
		t.Errorf("run: %q", got)
	}
	if got := user.Get(paths.To.TicketingSystems(orgID)).Text(".ticketing-error"); !strings.Contains(got, want) {
		t.Errorf("systems list: %q", got)
	}
	detail := admin.Get(paths.To.AdminTicketingOrganization(orgID), "HX-Request", "true").Text("#admin-organization-ticketing")
	if !strings.Contains(detail, want) || !strings.Contains(detail, "foreign_currency") || !strings.Contains(detail, "/v1/ticketings/700") {
		t.Errorf("admin: %q", detail)
	}
}

// Tickets sold on a Mapado date without start are left out (decision T7), but the run says how
// many, to the user and to the admins.
func TestUndatedTicketsAreAWarningOfTheRun(t *testing.T) {
	// Not parallel: finishRun's runner claims every pending run of the shared test database.
	fake := ticketingtest.NewMapado(t)
	fake.SetEventDates(ticketingtest.ObjectsJSON(`[
 {"@id":"/v1/event_dates/3001","ticketing":"/v1/ticketings/700","startDate":null,"endDate":null,"startOfEventDay":null,
  "ticketPriceList":[{"@id":"/v1/ticket_prices/81","currency":"EUR","facialValue":2500,"tax":{"rate":0.055,"countryCode":"FR"}},
                     {"@id":"/v1/ticket_prices/82","currency":"EUR","facialValue":0,"tax":{"rate":0,"countryCode":""}}]},
 {"@id":"/v1/event_dates/3002","ticketing":"/v1/ticketings/700","startDate":"2025-06-02T20:00:00+02:00","endDate":null,
  "ticketPriceList":[{"@id":"/v1/ticket_prices/83","currency":"EUR","facialValue":2500,"tax":{"rate":0.055,"countryCode":null}}]}]`))
	fake.SetTickets(ticketingtest.ObjectsJSON(`[
 {"@id":"/v1/tickets/1","status":"payed","facialValue":2500,"ticketPrice":"/v1/ticket_prices/81","eventDate":"/v1/event_dates/3001","imported":false,"updatedAt":"2025-05-01T10:00:00+02:00"},
 {"@id":"/v1/tickets/2","status":"refunded","facialValue":2500,"ticketPrice":"/v1/ticket_prices/81","eventDate":"/v1/event_dates/3001","imported":false,"updatedAt":"2025-05-01T10:00:00+02:00"},
 {"@id":"/v1/tickets/3","status":"payed","facialValue":2500,"ticketPrice":"/v1/ticket_prices/83","eventDate":"/v1/event_dates/3002","imported":false,"updatedAt":"2025-05-01T10:00:00+02:00"}]`))
	_, admin, orgID, run := mapadoRun(t, fake)
	if status := run.Doc.Find("#ticketing-run").AttrOr("data-status", ""); status != string(synchronization.RunSucceeded) {
		t.Fatalf("run %s: %s", status, run.Text("#ticketing-run"))
	}
	const want = "1 billet vendu sur une date sans horaire n’a pas été repris."
	if got := run.Text("#ticketing-run [data-warning]"); got != want {
		t.Errorf("run warning %q, want %q", got, want)
	}
	if got := admin.Get(paths.To.AdminTicketingOrganization(orgID), "HX-Request", "true").Text("#admin-organization-ticketing [data-warning]"); !strings.Contains(got, want) {
		t.Errorf("admin warning %q", got)
	}
}
