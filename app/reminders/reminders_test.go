package reminders_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/reminders"
	"assistant-declaration/app/series"
)

// paris is a time of day in Paris, the job's clock in these tests.
func paris(year int, month time.Month, day, hour int) time.Time {
	return time.Date(year, month, day, hour, 0, 0, 0, locale.Paris)
}

// env is an organization with its collaborators, each with a client signed
// in, and the harness that delivers the outbox to the SMTP catcher.
type env struct {
	t      *testing.T
	h      *apptest.Harness
	org    uuid.UUID
	emails map[string]string // collaborator name → e-mail
	users  map[string]uuid.UUID
}

// The tests do not run in parallel: SendDue takes every due serie of the
// database, so one test's run would send another's reminders to its own
// catcher.
func newEnv(t *testing.T, names ...string) *env {
	t.Helper()
	h := apptest.New(t)
	e := &env{t: t, h: h, emails: map[string]string{}, users: map[string]uuid.UUID{}}
	var members []uuid.UUID
	for _, n := range names {
		e.emails[n] = apptest.UniqueEmail(n)
		e.users[n] = h.CreateUser(e.emails[n], false)
		members = append(members, e.users[n])
	}
	e.org = orgtest.Insert(t, h.DB, orgtest.Row{Name: "Compagnie des Rappels", Members: members}).ID
	return e
}

// serie creates a manual serie whose performances start at the given times
// and last two hours.
func (e *env) serie(name string, starts ...time.Time) uuid.UUID {
	e.t.Helper()
	var events []series.ManualEvent
	for _, s := range starts {
		end := s.Add(2 * time.Hour)
		events = append(events, series.ManualEvent{StartAt: s, EndAt: &end})
	}
	id, err := series.CreateManual(context.Background(), e.h.DB, e.org, series.ManualSerie{Name: name, Events: events}, audit.Actor{})
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// run runs the job at now and delivers what it enqueued.
func (e *env) run(now time.Time) {
	e.t.Helper()
	if _, err := reminders.SendDue(context.Background(), e.h.DB, e.h.Config.BaseURL, now); err != nil {
		e.t.Fatal(err)
	}
	e.h.DeliverMails()
}

// caught is the reminders the SMTP catcher received for who about serie.
func (e *env) caught(who, serie string) []mail.CaughtMail {
	var out []mail.CaughtMail
	for _, m := range e.h.Catcher.Messages() {
		if len(m.To) == 1 && strings.EqualFold(m.To[0], e.emails[who]) && strings.Contains(m.Subject, "« "+serie+" »") {
			out = append(out, m)
		}
	}
	return out
}

func (e *env) expectReminders(when, who, serie string, want int) {
	e.t.Helper()
	if got := len(e.caught(who, serie)); got != want {
		e.t.Errorf("%s: %s got %d reminders about %s, want %d", when, who, got, serie, want)
	}
}

// The reminder goes once, 10 days before the SACEM deadline (the last day of
// the month after the last performance, in Paris): not the day before, not
// again the next days, never about a declared serie, never to a collaborator
// who switched the reminders off in their settings.
func TestDeadlineReminders(t *testing.T) {
	e := newEnv(t, "alice", "bob")
	// Last performance on 31 January 2025 at 22:30 Paris (21:30 UTC): the
	// deadline is 28 February, the reminder goes on 18 February.
	tour := e.serie("Tournée d'hiver", paris(2025, time.January, 10, 20), paris(2025, time.January, 31, 22).Add(30*time.Minute))
	declared := e.serie("Déjà déclaré", paris(2025, time.January, 12, 20))
	if _, err := e.h.DB.ExecContext(context.Background(), `INSERT INTO event_serie_declarations (event_serie_id, type) VALUES (?, 'SACEM')`, declared); err != nil {
		t.Fatal(err)
	}
	// A serie declared after its reminder: the reminder went, nothing more.
	late := e.serie("Déclaré après le rappel", paris(2025, time.January, 20, 20))

	// Bob switches the reminders off in his settings (a POST with the CSRF token).
	bob := e.h.Client()
	bob.StartSession(e.users["bob"], time.Hour)
	if r := bob.PostForm(paths.To.SettingsReminders(), url.Values{"_csrf": {""}}); r.StatusCode != 403 {
		t.Fatalf("switching off without the CSRF token: %d", r.StatusCode)
	}
	if r := bob.PostForm(paths.To.SettingsReminders(), url.Values{}); r.StatusCode != 303 {
		t.Fatalf("switching off: %d", r.StatusCode)
	}
	if r := bob.Get(paths.To.Settings()); r.Doc.Find("#deadline-reminders[checked]").Length() != 0 {
		t.Fatal("the settings page still shows the reminders on")
	}

	e.run(paris(2025, time.February, 17, 9))
	e.expectReminders("17 February", "alice", "Tournée d'hiver", 0)

	e.run(paris(2025, time.February, 18, 9))
	got := e.caught("alice", "Tournée d'hiver")
	if len(got) != 1 {
		t.Fatalf("18 February: alice got %d reminders about the tour, want 1", len(got))
	}
	m := got[0]
	wantURL := e.h.Config.BaseURL + paths.To.Declaration(e.org, tour)
	if m.Subject != "Rappel : « Tournée d'hiver » à déclarer avant le 28 février 2025" {
		t.Errorf("subject = %q", m.Subject)
	}
	for _, part := range []string{"Bonjour Camille,", "Compagnie des Rappels", "28 février 2025", wantURL, e.h.Config.BaseURL + paths.To.Settings()} {
		if !strings.Contains(m.Text, part) {
			t.Errorf("the text lacks %q:\n%s", part, m.Text)
		}
	}
	if !strings.Contains(m.HTML, `href="`+wantURL+`"`) {
		t.Errorf("the HTML has no button to the declaration page:\n%s", m.HTML)
	}
	e.expectReminders("18 February", "alice", "Déclaré après le rappel", 1)
	e.expectReminders("18 February", "alice", "Déjà déclaré", 0)
	e.expectReminders("18 February, switched off", "bob", "Tournée d'hiver", 0)
	e.expectReminders("18 February, switched off", "bob", "Déclaré après le rappel", 0)

	if _, err := e.h.DB.ExecContext(context.Background(), `INSERT INTO event_serie_declarations (event_serie_id, type) VALUES (?, 'SACEM')`, late); err != nil {
		t.Fatal(err)
	}
	for _, day := range []int{18, 19, 28} {
		e.run(paris(2025, time.February, day, 15))
	}
	e.expectReminders("the next days", "alice", "Tournée d'hiver", 1)
	e.expectReminders("the next days", "alice", "Déclaré après le rappel", 1)
	e.expectReminders("the next days", "alice", "Déjà déclaré", 0)
	e.expectReminders("the next days", "bob", "Tournée d'hiver", 0)
}

// A day missed by the job is caught up until the deadline; a serie whose
// deadline passed, or not over yet, gets nothing; a collaborator who switches
// the reminders back on gets them again.
func TestDeadlineRemindersCatchUpUntilTheDeadline(t *testing.T) {
	e := newEnv(t, "carole")
	cl := e.h.Client()
	cl.StartSession(e.users["carole"], time.Hour)
	for _, on := range []string{"", "on"} {
		if r := cl.PostForm(paths.To.SettingsReminders(), url.Values{"deadlineReminders": {on}}); r.StatusCode != 303 {
			t.Fatalf("switching to %q: %d", on, r.StatusCode)
		}
	}
	if r := cl.Get(paths.To.Settings()); r.Doc.Find("#deadline-reminders[checked]").Length() != 1 {
		t.Fatal("the settings page does not show the reminders on")
	}
	e.serie("Rattrapage", paris(2025, time.March, 5, 20))                                 // deadline 30 April
	e.serie("Trop tard", paris(2025, time.February, 5, 20))                               // deadline 31 March
	e.serie("Longue série", paris(2025, time.March, 1, 20), paris(2025, time.May, 2, 20)) // not over on 25 April
	e.run(paris(2025, time.April, 25, 9))
	e.expectReminders("25 April", "carole", "Rattrapage", 1)
	e.expectReminders("25 April", "carole", "Trop tard", 0)
	e.expectReminders("25 April", "carole", "Longue série", 0)
}
