package admin_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"assistant-declaration/app/admin"
)

// The filter forms search while the admin types, and on change of the other
// filters, but not again when the search box loses focus: that second search
// swapped the results under the admin's click on a result.
func TestFilterFormsTriggers(t *testing.T) {
	t.Parallel()
	_, cl, _ := adminClient(t)
	// Each list's text box searches while typing.
	for path, search := range map[string]string{"/admin": "filter-q", "/admin/users": "filter-q", "/admin/audit": "filter-email"} {
		r := cl.Get(path)
		if r.StatusCode != 200 {
			t.Fatalf("%s: status %d", path, r.StatusCode)
		}
		form := r.Doc.Find("#admin-filters")
		triggers := map[string]bool{}
		for _, tr := range strings.Split(form.AttrOr("hx-trigger", ""), ",") {
			triggers[strings.TrimSpace(tr)] = true
		}
		if triggers["change"] {
			t.Errorf("%s: a bare change trigger also fires when the search box loses focus", path)
		}
		if !triggers["input changed delay:400ms from:#"+search] {
			t.Errorf("%s: no search while typing in %v", path, triggers)
		}
		form.Find(`select, input[type="date"]`).Each(func(_ int, s *goquery.Selection) {
			if id := s.AttrOr("id", ""); !triggers["change from:#"+id] {
				t.Errorf("%s: changing #%s does not filter (%v)", path, id, triggers)
			}
		})
	}
}

// A sort link swaps the results alone: the sort input the filter form sends
// lives there (form="admin-filters"), so changing a filter keeps the sort.
func TestFilterFormsKeepTheSort(t *testing.T) {
	t.Parallel()
	_, cl, _ := adminClient(t)
	for _, path := range []string{"/admin?sort=-created", "/admin/users?sort=-created"} {
		r := cl.Get(path, "HX-Request", "true")
		if v := r.Doc.Find(`#admin-results input[name="sort"][form="admin-filters"]`).AttrOr("value", ""); v != "-created" {
			t.Errorf("%s: results fragment carries sort %q", path, v)
		}
	}
}

// The audit table scrolls sideways: its container must take the keyboard
// focus and be named (axe-core scrollable-region-focusable).
func TestAuditTableScrollsWithTheKeyboard(t *testing.T) {
	t.Parallel()
	_, cl, _ := adminClient(t)
	r := cl.Get("/admin/audit")
	c := r.Doc.Find("#audit-table .fr-table__container")
	tabindex, role, label := c.AttrOr("tabindex", ""), c.AttrOr("role", ""), c.AttrOr("aria-label", "")
	if tabindex != "0" || role != "region" || label == "" {
		t.Errorf("audit table container: tabindex %q, role %q, aria-label %q", tabindex, role, label)
	}
}

// The action filter offers every action the log records, each with its label.
func TestAuditActionsAreLabelled(t *testing.T) {
	t.Parallel()
	_, cl, _ := adminClient(t)
	options := cl.Get("/admin/audit").Doc.Find(`#filter-action option:not([value=""])`)
	if options.Length() != len(admin.AuditActions) {
		t.Errorf("%d actions offered, want %d", options.Length(), len(admin.AuditActions))
	}
	options.Each(func(_ int, s *goquery.Selection) {
		if label := s.Text(); strings.HasPrefix(label, "admin.") {
			t.Errorf("action %s has no label", s.AttrOr("value", ""))
		}
	})
}
