package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/apptest"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/web"
)

// The series journey of an entrepreneur whose ticketing is not connected:
// from the empty organization page, they add a show by hand with two
// performances (after a validation error), find it in the list with French
// dates and under the "À déclarer" tab, edit it down to one performance and
// delete it. Every page passes axe-core.
func TestManualSeriesJourney(t *testing.T) {
	h, base := apptest.NewServer(t)
	j := &journey{t: t, ctx: NewBrowser(t), h: h, base: base}

	email := apptest.UniqueEmail("producer")
	userID := h.CreateUser(email, false)
	hash, err := accounts.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.DB.ExecContext(context.Background(), `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID); err != nil {
		t.Fatal(err)
	}
	org := orgtest.CreateOrganization(t, h.DB, &web.User{ID: userID, Email: email}, "Théâtre des Lilas")
	orgPath := "/dashboard/organization/" + org.ID.String()

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
	CheckAccessibility(t, j.ctx)
	Do(t, j.ctx, "save without a name",
		chromedp.SetValue(chromedp.ID("event-1-start"), "2025-03-02T20:30"),
		chromedp.Click(chromedp.ID("serie-save")),
		chromedp.WaitVisible(chromedp.ID("serie-name-message-error")))
	CheckAccessibility(t, j.ctx)
	if got := Text(t, j.ctx, "#serie-name-message-error"); got != "Le nom est requis" {
		Errorf(t, j.ctx, "name error %q", got)
	}
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
	CheckAccessibility(t, j.ctx)
	if loc := Location(t, j.ctx); !strings.HasSuffix(loc, orgPath+"?filter=to-declare") {
		Errorf(t, j.ctx, "URL not pushed: %s", loc)
	}
	if got := Text(t, j.ctx, "#series-table tbody"); !strings.Contains(got, "Le cracheur de feu") {
		Errorf(t, j.ctx, "not to declare: %q", got)
	}

	// Edit: rename, remove the second performance.
	Do(t, j.ctx, "open the edit form", chromedp.Click(chromedp.CSS(`#series-table a[href$="/edit"]`)))
	j.loaded(orgPath+"/serie/"+uuidRE+"/edit", "#serie-form")
	Do(t, j.ctx, "remove the second performance",
		chromedp.Click(chromedp.CSS(`#event-1 button[name="action"]`)),
		chromedp.WaitNotPresent(chromedp.ID("event-1")))
	CheckAccessibility(t, j.ctx)
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
}
