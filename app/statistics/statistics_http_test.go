package statistics_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/statistics"
)

// The admin page and the public page show charts with their accessible name
// and data table, from the refreshed figures only.
func TestStatisticsPages(t *testing.T) {
	h := apptest.New(t)
	ctx := context.Background()
	f := fixture{t: t, db: h.DB}
	now := time.Now()
	org := orgtest.Insert(t, h.DB, orgtest.Row{Name: "Théâtre"}).ID
	sys := f.system(org, "MAPADO", now.Add(-time.Hour).Format(time.RFC3339))
	s := f.serie(sys, [3]string{now.Add(-72 * time.Hour).Format(time.RFC3339), "", "1234.56"})
	// Accepted a second ago: this month's row at any hour, the first of a
	// month included.
	f.accepted(s, "SACEM", now.Add(-time.Second).Format(time.RFC3339))

	anonymous := h.Client()
	if r := anonymous.Get("/impact"); r.StatusCode != 200 || !strings.Contains(r.Text("main"), "pas encore été calculés") {
		t.Fatalf("impact before the first refresh = %d %q", r.StatusCode, r.Text("main"))
	}
	if err := statistics.Refresh(ctx, h.DB); err != nil {
		t.Fatal(err)
	}
	r := anonymous.Get("/impact")
	if r.StatusCode != 200 {
		t.Fatalf("impact = %d", r.StatusCode)
	}
	if got := r.Text("#impact-amount"); got != "1\u202f235\u00a0€" {
		t.Errorf("amount declared = %q", got)
	}
	if got := r.Text("#impact-declarations"); got != "1" {
		t.Errorf("declarations = %q", got)
	}
	svg := r.Doc.Find("#chart-impact-accepted svg[role=img]")
	if label, _ := svg.Attr("aria-labelledby"); label != "chart-impact-accepted-title chart-impact-accepted-desc" || svg.Find("title").First().Text() == "" {
		t.Errorf("chart accessible name: %q", label)
	}
	if rows := r.Doc.Find("#chart-impact-amounts-data tbody tr").Length(); rows != 12 {
		t.Errorf("amounts table has %d months, want 12", rows)
	}
	if !strings.Contains(r.Text("#chart-impact-amounts-data tbody tr:last-child"), "1\u202f234,56\u00a0€") {
		t.Errorf("this month's amount: %q", r.Text("#chart-impact-amounts-data tbody tr:last-child"))
	}
	if r.Doc.Find(`footer a[href="/impact"]`).Length() != 1 {
		t.Error("no link to /impact in the footer")
	}
	if h.Client().Get("/").Doc.Find(`main a[href="/impact"]`).Length() != 1 {
		t.Error("no link to /impact on the home page")
	}

	admin := h.Client()
	admin.StartSession(h.CreateUser(apptest.UniqueEmail("admin"), true), time.Hour)
	r = admin.Get("/admin/statistics")
	if r.StatusCode != 200 {
		t.Fatalf("statistics = %d", r.StatusCode)
	}
	for _, id := range []string{"created", "active", "systems", "accepted", "amounts", "failureRate", "delay"} {
		if r.Doc.Find("#chart-"+id+" svg[role=img]").Length() != 1 || r.Doc.Find("#chart-"+id+"-data table").Length() != 1 {
			t.Errorf("chart %s or its table missing", id)
		}
	}
	if !strings.Contains(r.Text("#chart-systems-data"), "MAPADO") {
		t.Errorf("systems table: %q", r.Text("#chart-systems-data"))
	}
	if r := admin.Get("/admin/statistics?from=2026-05&to=2026-01"); r.StatusCode != 422 || r.Doc.Find("#period-to-message-error").Length() != 1 {
		t.Errorf("reversed period = %d", r.StatusCode)
	}
	if r := admin.Get("/admin/statistics?from=2025-01&to=2025-03"); r.StatusCode != 200 || r.Doc.Find("#chart-created-data tbody tr").Length() != 3 {
		t.Errorf("three months = %d", r.StatusCode)
	}
}
