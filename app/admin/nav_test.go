package admin_test

import (
	"strings"
	"testing"
)

// Every admin page carries the one sub-navigation, with aria-current on its
// own entry only, and a breadcrumb from the dashboard through the back
// office's root (the organizations list) to itself.
func TestAdminNavigationMarksTheCurrentPage(t *testing.T) {
	t.Parallel()
	_, cl, admin := adminClient(t)
	for path, want := range map[string]struct{ entry, breadcrumb string }{
		"/admin":                         {"/admin", "Tableau de bord > Administration"},
		"/admin/users":                   {"/admin/users", "Tableau de bord > Administration > Utilisateurs"},
		"/admin/users/" + admin.String(): {"/admin/users", "Tableau de bord > Administration > Utilisateurs > "},
		"/admin/audit":                   {"/admin/audit", "Tableau de bord > Administration > Journal d’audit"},
		"/admin/declarations":            {"/admin/declarations", "Tableau de bord > Administration > Déclarations en erreur"},
		"/admin/ticketing":               {"/admin/ticketing", "Tableau de bord > Administration > Billetteries en erreur"},
		"/admin/jobs":                    {"/admin/jobs", "Tableau de bord > Administration > Tâches planifiées"},
		"/admin/statistics":              {"/admin/statistics", "Tableau de bord > Administration > Statistiques"},
		"/admin/agencies":                {"/admin/agencies", "Tableau de bord > Administration > Agences régionales SACEM et SACD"},
		"/admin/settings":                {"/admin/settings", "Tableau de bord > Administration > Paramètres du service"},
	} {
		r := cl.Get(path)
		if r.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, r.StatusCode)
		}
		if got := strings.Join(r.Breadcrumb(t), " > "); !strings.HasPrefix(got, want.breadcrumb) {
			t.Errorf("GET %s: breadcrumb %q, want %q", path, got, want.breadcrumb)
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
		if href, _ := current.Attr("href"); href != want.entry {
			t.Errorf("GET %s: current entry %s (%s), want %s", path, href, strings.TrimSpace(current.Text()), want.entry)
		}
	}
}
