package organizations_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/paths"
)

// switcherItems returns the organizations the header's switcher of r lists,
// and the one it marks current.
func switcherItems(r *apptest.Response) (names []string, current string) {
	r.Doc.Find("#organization-switcher-menu a[href^='/dashboard/organization/']").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		if href == paths.OrganizationCreateRoute {
			return
		}
		names = append(names, strings.TrimSpace(a.Text()))
		if v, _ := a.Attr("aria-current"); v == "true" {
			current = strings.TrimSpace(a.Text())
		}
	})
	return names, current
}

// A user of one organization creates a second one (decision P15): both are
// theirs, the dashboard lists them, the header switches between them; a
// company still has one organization.
func TestCreateASecondOrganizationAndSwitch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, cl := e.signedIn("producer")
	first := orgtest.CreateOrganization(t, e.DB, user, "Première compagnie")

	r := cl.Get(paths.To.Organization(first.ID))
	if r.Doc.Find("#organization-switcher").Length() != 0 {
		t.Fatal("a switcher with one organization")
	}
	r = cl.Get(paths.To.OrganizationSettings(first.ID))
	create, _ := r.Doc.Find("#create-another").Attr("href")
	expectStatus(t, cl.Get(create), http.StatusOK)
	siret := orgtest.RandomSIRET()
	r = cl.PostForm(paths.OrganizationCreateRoute, url.Values{"siret": {siret}, "name": {"Seconde compagnie"},
		"street": {"4 Rue Jean Moulin"}, "postalCode": {"35000"}, "city": {"Rennes"}})
	expectStatus(t, r, http.StatusSeeOther)
	orgs := orgtest.OrganizationsOf(t, e.DB, user.ID)
	if len(orgs) != 2 || orgs[1].Name != "Seconde compagnie" || r.Header.Get("Location") != paths.To.Organization(orgs[1].ID) {
		t.Fatalf("organizations %v, redirected to %q", orgs, r.Header.Get("Location"))
	}
	second := orgs[1]

	// The dashboard lists both instead of opening the oldest.
	r = cl.Get(paths.To.Dashboard())
	expectStatus(t, r, http.StatusOK)
	for _, org := range orgs {
		if r.Doc.Find(`#organizations a[href="`+paths.To.Organization(org.ID)+`"]`).Length() != 1 {
			t.Fatalf("dashboard lists %q", r.Text("#organizations"))
		}
	}

	// The header's switcher lists both, the open one current, on every page
	// of an organization; following it opens the other.
	r = cl.Get(paths.To.OrganizationSettings(first.ID))
	if names, current := switcherItems(r); strings.Join(names, "|") != "Première compagnie|Seconde compagnie" || current != "Première compagnie" {
		t.Fatalf("switcher %v, current %q", names, current)
	}
	href, _ := r.Doc.Find(`#organization-switcher-menu a:not([aria-current])[href^="/dashboard/organization/` + second.ID.String() + `"]`).Attr("href")
	r = cl.Get(href)
	expectStatus(t, r, http.StatusOK)
	if _, current := switcherItems(r); r.Text("main h1") != "Seconde compagnie" || current != "Seconde compagnie" {
		t.Fatalf("switched to %q, current %q", r.Text("main h1"), current)
	}
	if b, _ := r.Doc.Find("#organization-switcher button").Attr("aria-controls"); b != "organization-switcher-menu" {
		t.Fatalf("switcher button controls %q", b)
	}

	// Still one organization per company, for them as for anyone.
	cl.Get(paths.OrganizationCreateRoute)
	r = cl.PostForm(paths.OrganizationCreateRoute, url.Values{"siret": {orgtest.SameSIREN(siret)}, "name": {"Doublon"}})
	expectStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Text("#create-siret-messages"), "Une organisation existe déjà pour cette entreprise") {
		t.Fatalf("same SIREN: %q", r.Text("#create-siret-messages"))
	}
}

// A collaborator of one organization accepts an invitation to another: they
// belong to both, and the admin's page of the user shows both.
func TestAcceptAnInvitationWhileMemberElsewhere(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	inviter, cl := e.signedIn("inviter")
	host := orgtest.CreateOrganization(t, e.DB, inviter, "Compagnie hôte")
	member, mcl := e.signedIn("member")
	own := orgtest.CreateOrganization(t, e.DB, member, "Compagnie du membre")

	link := invite(t, e, cl, host, member.Email)
	// With one organization and an invitation, the dashboard shows the notice.
	r := mcl.Get(paths.To.Dashboard())
	expectStatus(t, r, http.StatusOK)
	if r.Doc.Find(".app-invitation-notice").Length() != 1 || !strings.Contains(r.Text("#organizations"), "Compagnie du membre") {
		t.Fatalf("dashboard: %s", r.Text("main"))
	}
	mcl.Get(link)
	r = mcl.PostForm(link+"/accept", nil)
	expectStatus(t, r, http.StatusSeeOther)
	if !e.isCollaborator(t, host.ID, member.ID) || !e.isCollaborator(t, own.ID, member.ID) {
		t.Fatal("accepting while a member elsewhere")
	}
	r = mcl.Get(r.Header.Get("Location"))
	if names, current := switcherItems(r); len(names) != 2 || current != "Compagnie hôte" {
		t.Fatalf("switcher %v, current %q", names, current)
	}

	admin := e.Client()
	admin.StartSession(e.CreateUser(apptest.UniqueEmail("admin"), true), time.Hour)
	r = admin.Get(paths.To.AdminUser(member.ID))
	expectStatus(t, r, http.StatusOK)
	for _, org := range []*organizations.Organization{host, own} {
		if r.Doc.Find(`main a[href="`+paths.To.AdminOrganization(org.ID)+`"]`).Length() != 1 {
			t.Fatalf("admin user page lists %s", r.Text("main"))
		}
	}
}

// The dashboard lists the user's organizations by name, as the switcher does,
// whatever the order they joined them in.
func TestDashboardListsOrganizationsByName(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, cl := e.signedIn("byname")
	orgtest.CreateOrganization(t, e.DB, user, "Zèbre compagnie")
	orgtest.CreateOrganization(t, e.DB, user, "Abeille compagnie")
	r := cl.Get(paths.To.Dashboard())
	expectStatus(t, r, http.StatusOK)
	var names []string
	r.Doc.Find("#organizations a").Each(func(_ int, s *goquery.Selection) { names = append(names, s.Text()) })
	if strings.Join(names, "|") != "Abeille compagnie|Zèbre compagnie" {
		t.Errorf("dashboard lists %v", names)
	}
}
