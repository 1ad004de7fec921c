package browsertest

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/apptest"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/users"
)

// The series journey of an entrepreneur whose ticketing is not connected:
// from the empty organization page, they add a show by hand with two
// performances (after a validation error), find it in the list with French
// dates and under the "À déclarer" tab, edit it down to one performance and
// delete it, then look at their account's settings and deletion page. Every
// page passes axe-core and fits a phone.
func TestManualSeriesJourney(t *testing.T) {
	h, base := apptest.NewServer(t)
	j := &journey{t: t, ctx: NewBrowser(t), h: h, base: base}

	email, orgPath := entrepreneur(t, h, "producer", "Théâtre des Lilas")

	j.open("/auth/sign-in")
	j.signIn(email, password)
	j.open(orgPath)
	if got := Text(t, j.ctx, "#series-empty"); !strings.Contains(got, "Branchez votre logiciel de billetterie") {
		Errorf(t, j.ctx, "empty state %q", got)
	}

	// Add a show: a second performance through "Ajouter une autre
	// représentation", a missing name first.
	Do(t, j.ctx, "open the add form", chromedp.Click(chromedp.ID("series-add")))
	j.loaded(orgPath+"/series/new", "#serie-form")
	Do(t, j.ctx, "type the first performance and add another",
		chromedp.SetValue(chromedp.ID("event-0-start"), "2025-03-01T20:00"),
		chromedp.SetValue(chromedp.ID("event-0-end"), "2025-03-01T22:00"),
		chromedp.Click(chromedp.ID("serie-add-event")),
		chromedp.WaitVisible(chromedp.ID("event-1-start")))
	CheckPage(t, j.ctx)
	Do(t, j.ctx, "save without a name",
		chromedp.SetValue(chromedp.ID("event-1-start"), "2025-03-02T20:30"),
		chromedp.Click(chromedp.ID("serie-save")),
		chromedp.WaitVisible(chromedp.ID("serie-name-message-error")))
	CheckPage(t, j.ctx)
	if got := Text(t, j.ctx, "#serie-name-message-error"); got != "Le nom est requis" {
		Errorf(t, j.ctx, "name error %q", got)
	}
	// The errors' summary, swapped in by htmx, takes the focus; its link leads to the field.
	CheckErrorSummary(t, j.ctx, "serie-errors", "serie-name")
	if v, _ := chromedp.Run(j.ctx, chromedp.Value(chromedp.ID("event-1-start"))); v != "2025-03-02T20:30" {
		Errorf(t, j.ctx, "input lost: %q", v)
	}
	Do(t, j.ctx, "name and save",
		chromedp.SendKeys(chromedp.ID("serie-name"), "Le cracheur de feu"),
		chromedp.Click(chromedp.ID("serie-save")))
	j.loaded(orgPath, "#series-table")
	if got := Text(t, j.ctx, "#series-table tbody tr"); !strings.Contains(got, "Le cracheur de feu") || !strings.Contains(got, "01/03/2025\u00a0→\u00a002/03/2025") {
		Errorf(t, j.ctx, "added serie %q", got)
	}

	// The "À déclarer" tab through htmx: the URL follows.
	Do(t, j.ctx, "show the series to declare",
		chromedp.Click(chromedp.ID("series-filter-to-declare")),
		chromedp.WaitVisible(chromedp.CSS(`#series-filter-to-declare[aria-current="page"]`)))
	CheckPage(t, j.ctx)
	if loc := Location(t, j.ctx); !strings.HasSuffix(loc, orgPath+"?filter=to-declare") {
		Errorf(t, j.ctx, "URL not pushed: %s", loc)
	}
	if got := Text(t, j.ctx, "#series-table tbody"); !strings.Contains(got, "Le cracheur de feu") {
		Errorf(t, j.ctx, "not to declare: %q", got)
	}

	// Edit: rename, remove the second performance.
	Do(t, j.ctx, "open the edit form", chromedp.Click(chromedp.CSS(`#series-table a[href$="/edit"]`)))
	j.loaded(orgPath+"/serie/"+uuidRE+"/edit", "#serie-form")
	CheckBreadcrumb(t, j.ctx, "Tableau de bord", "Théâtre des Lilas", "Le cracheur de feu", "Modification")
	Do(t, j.ctx, "remove the second performance",
		chromedp.Click(chromedp.CSS(`#event-1 button[name="action"]`)),
		chromedp.WaitNotPresent(chromedp.ID("event-1")))
	CheckPage(t, j.ctx)
	Do(t, j.ctx, "rename and save",
		chromedp.SetValue(chromedp.ID("serie-name"), "Le grand cracheur"),
		chromedp.Click(chromedp.ID("serie-save")))
	j.loaded(orgPath, "#series-table")
	if got := Text(t, j.ctx, "#series-table tbody tr"); !strings.Contains(got, "Le grand cracheur") || !strings.Contains(got, "01/03/2025, 20:00") {
		Errorf(t, j.ctx, "edited serie %q", got)
	}

	// Delete, after the confirmation page.
	Do(t, j.ctx, "ask to delete", chromedp.Click(chromedp.CSS(`#series-table a[href$="/delete"]`)))
	j.loaded(orgPath+"/serie/"+uuidRE+"/delete", "#serie-delete")
	if got := Text(t, j.ctx, "#serie-delete-question"); got != "Êtes-vous sûr de vouloir supprimer le spectacle Le grand cracheur ?" {
		Errorf(t, j.ctx, "question %q", got)
	}
	Do(t, j.ctx, "delete", chromedp.Click(chromedp.ID("serie-delete")))
	j.loaded(orgPath, "#series-empty")

	// Their account settings, and the account deletion page: sent without
	// the password, the page comes back with the summary focused.
	j.open("/account/settings")
	j.open("/account/delete")
	CheckBreadcrumb(t, j.ctx, "Tableau de bord", "Paramètres du compte", "Supprimer mon compte")
	Do(t, j.ctx, "delete without the password", chromedp.Click(chromedp.CSS(`#delete-form button[type=submit]`)))
	j.loaded("/account/delete", "#delete-errors")
	CheckErrorSummary(t, j.ctx, "delete-errors", "delete-password")
}

// An entrepreneur connects Billetweb (mocked outside production), presses
// "Synchroniser", follows the progress, and finds the ticketing system's
// shows in the list with French dates and amounts. Every page passes axe-core.
func TestTicketingSynchronizationJourney(t *testing.T) {
	h, base := apptest.NewServer(t)
	j := &journey{t: t, ctx: NewBrowser(t), h: h, base: base}

	email, orgPath := entrepreneur(t, h, "promoter", "Festival des Coucous")

	j.open("/auth/sign-in")
	j.signIn(email, password)
	j.open(orgPath)

	// Connect Billetweb from the empty organization page.
	Do(t, j.ctx, "open the connect page", chromedp.Click(chromedp.CSS(`a[href$="/ticketing-system/connect"]`)))
	j.loaded(orgPath+"/ticketing-system/connect", "#ticketing-system-choice")
	Do(t, j.ctx, "choose Billetweb", chromedp.Click(chromedp.CSS(`#ticketing-system-choice a[href$="?system=BILLETWEB"]`)),
		chromedp.WaitVisible(chromedp.ID("ticketing-connect-form")))
	CheckPage(t, j.ctx)
	Do(t, j.ctx, "type the credentials and connect",
		chromedp.SendKeys(chromedp.ID("ticketing-access-key"), "12345"),
		chromedp.SendKeys(chromedp.ID("ticketing-secret-key"), "a-read-only-key"),
		chromedp.Submit(chromedp.ID("ticketing-connect-form")))
	j.loaded(orgPath+"/ticketing-systems", "main h1")
	if got := Text(t, j.ctx, "main"); !strings.Contains(got, "Billetweb") {
		Errorf(t, j.ctx, "connected systems %q", got)
	}
	if got := Text(t, j.ctx, "main"); strings.Contains(got, "a-read-only-key") {
		Errorf(t, j.ctx, "the secret is rendered back")
	}

	// Synchronize from the organization page and follow the progress.
	j.open(orgPath)
	Do(t, j.ctx, "press Synchroniser", chromedp.Click(chromedp.CSS("#ticketing-synchronize button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(`#ticketing-run[data-status]`)))
	CheckPage(t, j.ctx)
	Do(t, j.ctx, "wait for the run to succeed", chromedp.WaitVisible(chromedp.CSS(`#ticketing-run[data-status="succeeded"]`)))
	if got := Text(t, j.ctx, "#ticketing-run"); !strings.Contains(got, "Billetweb") {
		Errorf(t, j.ctx, "run progress %q", got)
	}
	// The list reloads itself once the run is over: the mock's two shows,
	// their French dates and amounts ("1 318,75 €" = 263,75 + 1 055).
	Do(t, j.ctx, "wait for the shows", chromedp.WaitVisible(chromedp.CSS("#series-table")))
	CheckPage(t, j.ctx)
	table := Text(t, j.ctx, "#series-table")
	for _, want := range []string{"Un coucou au soleil", "1\u202f318,75\u00a0€"} {
		if !strings.Contains(table, want) {
			Errorf(t, j.ctx, "series table lacks %q: %q", want, table)
		}
	}
	if !regexp.MustCompile(`\d{2}/\d{2}/\d{4}`).MatchString(table) {
		Errorf(t, j.ctx, "no French date in %q", table)
	}
	// Reloading shows the same, without JavaScript's help.
	j.open(orgPath + "?filter=all")
	if got := Text(t, j.ctx, "#series-table"); !strings.Contains(got, "Mon premier coucou") {
		Errorf(t, j.ctx, "after reload: %q", got)
	}
}

// entrepreneur creates a confirmed user with the test password and their
// organization, and returns the email and the organization page's path.
func entrepreneur(t *testing.T, h *apptest.Harness, prefix, organization string) (string, string) {
	t.Helper()
	email := apptest.UniqueEmail(prefix)
	userID := h.CreateUser(email, false)
	hash, err := accounts.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.DB.ExecContext(context.Background(), `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID); err != nil {
		t.Fatal(err)
	}
	org := orgtest.CreateOrganization(t, h.DB, &users.User{ID: userID, Email: email}, organization)
	return email, "/dashboard/organization/" + org.ID.String()
}
