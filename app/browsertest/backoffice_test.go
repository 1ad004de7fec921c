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
