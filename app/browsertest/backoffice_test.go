package browsertest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/statistics"
)

// An admin goes through the back office's new pages from its navigation,
// publishes a maintenance banner, asks a job to run, reads the statistics and
// the public impact page. Every page passes axe-core.
func TestBackOfficeJourney(t *testing.T) {
	h, base := apptest.NewServer(t)
	if err := statistics.Refresh(context.Background(), h.DB); err != nil {
		t.Fatal(err)
	}
	j := &journey{t: t, ctx: NewBrowser(t), h: h, base: base}
	j.signInAsAdmin()
	j.open("/admin")

	Do(t, j.ctx, "open the declarations in error from the navigation",
		chromedp.Click(chromedp.CSS(`nav a[href="/admin/declarations"]`)))
	j.loaded("/admin/declarations", "#declarations-table")
	// A live filter in error lists it at the top without taking the focus
	// from the field being typed in; the submitted form moves it there.
	Do(t, j.ctx, "choose an end before the start",
		chromedp.Focus(chromedp.ID("filter-to")),
		chromedp.Evaluate[chromedp.Void](`for (const [id, v] of [["filter-from", "2025-03-15"], ["filter-to", "2025-03-14"]]) {
			const f = document.getElementById(id); f.value = v; f.dispatchEvent(new Event("change", {bubbles: true})) }`),
		chromedp.WaitVisible(chromedp.CSS(`#admin-filters-summary a[href="#filter-to"]`)))
	time.Sleep(300 * time.Millisecond) // past htmx's settle, when a submitted form's summary takes the focus
	if got := Focused(t, j.ctx, "filter-to"); got != "filter-to" {
		Errorf(t, j.ctx, "focus on %q after a live filter in error, want the field", got)
	}
	Do(t, j.ctx, "submit the filters", chromedp.Click(chromedp.CSS(`#admin-filters button[type=submit]`)))
	CheckErrorSummary(t, j.ctx, "admin-filters-errors", "filter-to")
	Do(t, j.ctx, "open the jobs from the navigation",
		chromedp.Click(chromedp.CSS(`nav a[href="/admin/jobs"]`)), chromedp.WaitVisible(chromedp.ID("jobs-table")))
	j.loaded("/admin/jobs", "#jobs-table")
	Do(t, j.ctx, "run purge-job-runs now",
		chromedp.Click(chromedp.CSS(`#job-purge-job-runs button[type=submit]`)))
	j.loaded("/admin/jobs", "#jobs-table")
	deadline := time.Now().Add(15 * time.Second)
	for {
		var n int
		if err := h.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM job_runs WHERE job_name = 'purge-job-runs' AND status = 'success'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the requested run did not happen")
		}
		time.Sleep(100 * time.Millisecond)
	}
	j.open("/admin/jobs")

	Do(t, j.ctx, "open the settings", chromedp.Click(chromedp.CSS(`nav a[href="/admin/settings"]`)))
	j.loaded("/admin/settings", "#maintenance-form")
	CheckBreadcrumb(t, j.ctx, "Tableau de bord", "Administration", "Paramètres du service")
	Do(t, j.ctx, "publish an empty banner", chromedp.Click(chromedp.ID("maintenance-publish")))
	j.loaded("/admin/settings/maintenance", "#maintenance-errors")
	CheckErrorSummary(t, j.ctx, "maintenance-errors", "maintenance-message")
	Do(t, j.ctx, "publish a banner",
		chromedp.SendKeys(chromedp.ID("maintenance-message"), "Maintenance ce soir de 22 h à 23 h"),
		chromedp.Click(chromedp.ID("maintenance-publish")))
	j.loaded("/admin/settings", "#maintenance-current")
	j.open("/impact")
	if got := Text(t, j.ctx, "#maintenance-banner"); !strings.Contains(got, "Maintenance ce soir") {
		Errorf(t, j.ctx, "banner on /impact: %q", got)
	}
	j.open("/admin/statistics")
	j.open("/admin/settings")
	Do(t, j.ctx, "remove the banner", chromedp.Click(chromedp.ID("maintenance-clear")))
	j.loaded("/admin/settings", "#maintenance-form")
}
