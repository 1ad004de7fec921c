package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"assistant-declaration/app/agencies"
	"assistant-declaration/app/apptest"
)

// An admin opens the agencies page from the back office navigation and asks
// which agencies receive Ajaccio's postal code; a collaborator switches the
// deadline reminders off in their settings. Every state passes axe-core.
func TestAgenciesAndRemindersJourney(t *testing.T) {
	h, base := apptest.NewServer(t)
	j := &journey{t: t, ctx: NewBrowser(t), h: h, base: base}
	ctx := context.Background()
	if err := agencies.SeedDemo(ctx, h.DB); err != nil {
		t.Fatal(err)
	}
	j.signInAsAdmin()
	j.open("/admin")
	Do(t, j.ctx, "open the agencies", chromedp.Click(chromedp.CSS(`nav a[href="/admin/agencies"]`)))
	j.loaded("/admin/agencies", "#agencies-SACD")
	if got := Text(t, j.ctx, "#agencies-SACEM tbody"); !strings.Contains(got, "agence-rennes@sacem.test") {
		Errorf(t, j.ctx, "SACEM agencies %q", got)
	}
	Do(t, j.ctx, "look up 20000",
		chromedp.SendKeys(chromedp.ID("lookup-postal-code"), "20000"),
		chromedp.Submit(chromedp.ID("agency-lookup")),
		chromedp.WaitVisible(chromedp.ID("agency-lookup-result")))
	CheckAccessibility(t, j.ctx)
	if got := Text(t, j.ctx, `#agency-lookup-result [data-organism="SACD"]`); !strings.HasSuffix(got, "corse-monaco@sacd.test") {
		Errorf(t, j.ctx, "SACD agency of 20000: %q", got)
	}
	j.signOut()

	email, _ := entrepreneur(t, h, "reminded", "Compagnie Rappelée")
	j.signIn(email, password)
	j.open("/account/settings")
	Do(t, j.ctx, "switch the reminders off",
		chromedp.Click(chromedp.CSS(`label[for="deadline-reminders"]`)),
		chromedp.Click(chromedp.CSS("#reminders-form button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".fr-alert--success")))
	j.loaded("/account/settings", "#reminders-form")
	if got := Text(t, j.ctx, ".fr-alert--success"); got != "Vous ne recevrez plus les rappels de déclaration." {
		Errorf(t, j.ctx, "flash %q", got)
	}
	if on, _ := chromedp.Run(j.ctx, chromedp.Evaluate[bool](`document.getElementById('deadline-reminders').checked`)); on {
		Errorf(t, j.ctx, "the reminders are still on")
	}
}
