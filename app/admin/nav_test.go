package admin_test

import (
	"strings"
	"testing"
)

// Every admin page carries the one sub-navigation, with aria-current on its
// own entry only.
func TestAdminNavigationMarksTheCurrentPage(t *testing.T) {
	t.Parallel()
	_, cl, admin := adminClient(t)
	for path, want := range map[string]string{
		"/admin":                         "/admin",
		"/admin/users":                   "/admin/users",
		"/admin/users/" + admin.String(): "/admin/users",
		"/admin/audit":                   "/admin/audit",
		"/admin/declarations":            "/admin/declarations",
		"/admin/ticketing":               "/admin/ticketing",
	} {
		r := cl.Get(path)
		if r.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, r.StatusCode)
		}
		nav := r.Doc.Find(`nav[aria-label="Administration"]`)
		if n := nav.Find("a").Length(); n != 9 {
			t.Errorf("GET %s: %d navigation entries, want 9", path, n)
		}
		current := nav.Find(`a[aria-current="page"]`)
		if current.Length() != 1 {
			t.Errorf("GET %s: %d current entries, want 1", path, current.Length())
			continue
		}
		if href, _ := current.Attr("href"); href != want {
			t.Errorf("GET %s: current entry %s (%s), want %s", path, href, strings.TrimSpace(current.Text()), want)
		}
	}
}
