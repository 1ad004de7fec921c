package browsertest

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/google/uuid"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/users"
)

// A producer of two organizations finds both on the dashboard and switches
// from one to the other with the header's menu (decision P15); the pages pass
// axe-core with the menu open.
func TestOrganizationSwitcher(t *testing.T) {
	h, base := apptest.NewServer(t)
	j := &journey{t: t, ctx: NewBrowser(t), h: h, base: base}
	email, firstPath := entrepreneur(t, h, "producer", "Compagnie Alpha")
	var userID uuid.UUID
	if err := h.DB.NewRaw("SELECT id FROM users WHERE email = ?", email).Scan(context.Background(), &userID); err != nil {
		t.Fatal(err)
	}
	second := orgtest.CreateOrganization(t, h.DB, &users.User{ID: userID, Email: email}, "Compagnie Bêta")
	secondPath := "/dashboard/organization/" + second.ID.String()

	j.open("/auth/sign-in")
	j.signIn(email, password)
	j.open("/dashboard")
	if got := Text(t, j.ctx, "#organizations"); !strings.Contains(got, "Compagnie Alpha") || !strings.Contains(got, "Compagnie Bêta") {
		Errorf(t, j.ctx, "dashboard lists %q", got)
	}
	j.open(firstPath)
	link := `#organization-switcher-menu a[href="` + secondPath + `"]`
	Do(t, j.ctx, "open the organization switcher",
		chromedp.Click(chromedp.CSS("#organization-switcher button")),
		chromedp.WaitVisible(chromedp.CSS(link)))
	CheckAccessibility(t, j.ctx)
	if expanded, _ := chromedp.Run(j.ctx, chromedp.Evaluate[string](`document.querySelector('#organization-switcher button').getAttribute('aria-expanded')`)); expanded != "true" {
		Errorf(t, j.ctx, "switcher button aria-expanded=%q", expanded)
	}
	Do(t, j.ctx, "switch to the other organization", chromedp.Click(chromedp.CSS(link)))
	j.loaded(secondPath, "main h1")
	if got := Text(t, j.ctx, "main h1"); got != "Compagnie Bêta" {
		Errorf(t, j.ctx, "switched to %q", got)
	}
}
