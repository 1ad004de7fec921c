package organizations_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/users"
	"assistant-declaration/config"
)

// env is an application whose directories are the HTTP fakes.
type env struct {
	*apptest.Harness
	companies, addresses *orgtest.Fake
}

func newEnv(t *testing.T) *env {
	t.Helper()
	companies, addresses := orgtest.NewCompanyAPI(t), orgtest.NewAddressAPI(t)
	h := apptest.New(t, func(cfg *config.Config) {
		cfg.CompanyAPIBaseURL, cfg.AddressAPIBaseURL = companies.URL, addresses.URL
	})
	return &env{Harness: h, companies: companies, addresses: addresses}
}

// signedIn returns a new confirmed user and a client signed in as them.
func (e *env) signedIn(prefix string) (*users.User, *apptest.Client) {
	email := apptest.UniqueEmail(prefix)
	id := e.CreateUser(email, false)
	cl := e.Client()
	cl.StartSession(id, time.Hour)
	return &users.User{ID: id, Email: email, FirstName: "Camille", LastName: "Martin", Status: "confirmed"}, cl
}

func expectStatus(t *testing.T, r *apptest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL, r.StatusCode, status, r.Body)
	}
}

func (e *env) isCollaborator(t *testing.T, orgID, userID uuid.UUID) bool {
	t.Helper()
	var n int
	if err := e.DB.NewRaw("SELECT count(*) FROM collaborators WHERE organization_id = ? AND user_id = ?", orgID, userID).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// lastMail returns the subject and text of the newest outbox email to addr.
func (e *env) lastMail(t *testing.T, addr string) (subject, text string) {
	t.Helper()
	err := e.DB.NewRaw("SELECT subject, text_body FROM email_outbox WHERE ? = ANY(to_addresses) ORDER BY created_at DESC LIMIT 1", addr).
		Scan(context.Background(), &subject, &text)
	if err != nil {
		t.Fatalf("no email to %s: %v", addr, err)
	}
	return subject, text
}

func TestCreateOrganizationEndToEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, cl := e.signedIn("creator")
	siret := orgtest.RandomSIRET()

	for _, path := range []string{paths.OrganizationCreateRoute, "/tableau-de-bord/organisation/creer", "/tableau-de-bord/collectivite/creer"} {
		r := cl.Get(path)
		expectStatus(t, r, http.StatusOK)
		if _, ok := r.Doc.Find(`#company-query`).Attr("hx-get"); !ok {
			t.Fatalf("%s: no active search on the company field", path)
		}
	}
	// Active search: the fragment lists the companies to pick from.
	r := cl.Get(paths.OrganizationCreateRoute+"/companies?q="+siret, "HX-Request", "true")
	expectStatus(t, r, http.StatusOK)
	if strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, "COMPAGNIE "+siret) {
		t.Fatalf("company results fragment: %s", r.Body)
	}
	pick, _ := r.Doc.Find("a").First().Attr("href")
	// Picking it pre-fills the name and the geocoded headquarters address.
	r = cl.Get(pick)
	expectStatus(t, r, http.StatusOK)
	if v, _ := r.Doc.Find("#create-name").Attr("value"); v != "COMPAGNIE "+siret {
		t.Fatalf("name not pre-filled: %q", v)
	}
	if v, _ := r.Doc.Find("#create-street").Attr("value"); v != "4 Rue Jean Moulin" {
		t.Fatalf("address not pre-filled: %q", v)
	}
	// Address active search.
	r = cl.Get(paths.OrganizationCreateRoute+"/addresses?addressQuery=rue+jean+moulin&siret="+siret+"&name=Ma+compagnie", "HX-Request", "true")
	expectStatus(t, r, http.StatusOK)
	if href, _ := r.Doc.Find("a").First().Attr("href"); !strings.Contains(r.Body, "Rue Jean Moulin, 35000 Rennes") || !strings.Contains(href, "name=Ma+compagnie") {
		t.Fatalf("address results fragment: %s", r.Body)
	}

	r = cl.PostForm(paths.OrganizationCreateRoute, url.Values{"siret": {siret[:5] + " " + siret[5:]}, "name": {"Ma compagnie"},
		"street": {"4 Rue Jean Moulin"}, "postalCode": {"35000"}, "city": {"Rennes"}})
	expectStatus(t, r, http.StatusSeeOther)
	loc := r.Header.Get("Location")
	orgs := orgtest.OrganizationsOf(t, e.DB, user.ID)
	if len(orgs) != 1 {
		t.Fatalf("organizations: %v", orgs)
	}
	org := orgs[0]
	if loc != paths.To.Organization(org.ID) || org.Name != "Ma compagnie" || org.OfficialID != siret[:9] || org.OfficialHeadquartersID != siret {
		t.Fatalf("created %+v, redirected to %s", org, loc)
	}
	r = cl.Get(loc)
	expectStatus(t, r, http.StatusOK)
	if r.Text("h1") != "Ma compagnie" {
		t.Fatalf("organization page: %s", r.Text("h1"))
	}
	r = cl.Get(paths.To.OrganizationSettings(org.ID))
	expectStatus(t, r, http.StatusOK)
	if !strings.Contains(r.Text(".app-definitions"), "4 Rue Jean Moulin, 35000 Rennes") || !strings.Contains(r.Text("#collaborators"), user.Email) {
		t.Fatalf("settings page: %s", r.Text("main"))
	}
}

// Without address fields, the company's address is geocoded (first suggestion).
func TestCreateOrganizationGeocodesTheHeadquarters(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, cl := e.signedIn("geocode")
	cl.Get(paths.OrganizationCreateRoute)
	r := cl.PostForm(paths.OrganizationCreateRoute, url.Values{"siret": {orgtest.RandomSIRET()}, "name": {"Compagnie"}}, "HX-Request", "true")
	expectStatus(t, r, http.StatusNoContent)
	orgs := orgtest.OrganizationsOf(t, e.DB, user.ID)
	if len(orgs) != 1 || r.Header.Get("HX-Redirect") != paths.To.Organization(orgs[0].ID) {
		t.Fatalf("htmx creation: %v %v", orgs, r.Header)
	}
	d, err := organizations.Settings(context.Background(), e.DB, orgs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if a := d.Organization.HeadquartersAddress; a.Street != "4 Rue Jean Moulin" || a.PostalCode != "35000" || a.City != "Rennes" || a.CountryCode != "FR" {
		t.Fatalf("headquarters %+v", a)
	}
}

func TestCreateOrganizationErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	owner, _ := e.signedIn("owner")
	taken := orgtest.CreateOrganization(t, e.DB, owner, "Déjà là")
	member, _ := e.signedIn("member")
	orgtest.CreateOrganization(t, e.DB, member, "Sa compagnie")

	tests := []struct {
		name    string
		client  string // "new" or "member"
		siret   string
		mode    string // the company API's failure mode
		field   string // id of the messages group
		message string
	}{
		{"malformed SIRET", "new", "1234", "", "#create-siret-messages", "Le numéro SIRET doit être composé de 14 chiffres."},
		{"unknown company", "new", "01234567890123", "", "#create-siret-messages", "ne peut pas être vérifié"},
		{"masked company", "new", orgtest.MaskedSIRET, "", "#create-siret-messages", "ne sont pas diffusibles"},
		{"SIREN taken", "new", orgtest.SameSIREN(taken.OfficialHeadquartersID), "", "#create-siret-messages", "Une organisation existe déjà pour cette entreprise"},
		{"SIREN taken, for a member of another", "member", orgtest.SameSIREN(taken.OfficialHeadquartersID), "", "#create-siret-messages", "Une organisation existe déjà pour cette entreprise"},
		{"directory down", "new", orgtest.RandomSIRET(), orgtest.ServerErr, "#create-siret-messages", "L’annuaire des entreprises ne répond pas"},
		{"directory malformed", "new", orgtest.RandomSIRET(), orgtest.Malformed, "#create-siret-messages", "L’annuaire des entreprises ne répond pas"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := e
			if tt.mode != "" {
				e = newEnv(t)
				e.companies.SetMode(tt.mode)
			}
			var cl *apptest.Client
			if tt.client == "member" {
				cl = e.Client()
				cl.StartSession(member.ID, time.Hour)
			} else {
				_, cl = e.signedIn("new")
			}
			cl.Get(paths.OrganizationCreateRoute)
			r := cl.PostForm(paths.OrganizationCreateRoute, url.Values{"siret": {tt.siret}, "name": {"Ma compagnie"}})
			expectStatus(t, r, http.StatusUnprocessableEntity)
			if got := r.Text(tt.field); !strings.Contains(got, tt.message) {
				t.Fatalf("message %q, want %q", got, tt.message)
			}
			if v, _ := r.Doc.Find(`input[name="siret"]`).Attr("value"); v != organizations.NormalizeSIRET(tt.siret) {
				t.Fatalf("the SIRET typed was not kept: %q", v)
			}
		})
	}

	// Two characters ask for more instead of saying nothing matches.
	_, short := newEnv(t).signedIn("short")
	r := short.Get(paths.OrganizationCreateRoute+"/companies?q=13", "HX-Request", "true")
	if got := r.Text("p"); got != "Saisissez au moins 3 caractères pour lancer la recherche." {
		t.Errorf("2-character search: %q", got)
	}

	// A failing directory during the active search is a retryable message, not a 500.
	down := newEnv(t)
	down.companies.SetMode(orgtest.ServerErr)
	_, cl := down.signedIn("search")
	r = cl.Get(paths.OrganizationCreateRoute+"/companies?q=DINUM", "HX-Request", "true")
	expectStatus(t, r, http.StatusOK)
	if !strings.Contains(r.Text(".fr-message--error"), "ne répond pas") {
		t.Fatalf("search failure: %s", r.Body)
	}
}

func TestIdentifiers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	other, _ := e.signedIn("other")
	otherOrg := orgtest.CreateOrganization(t, e.DB, other, "Autre")
	sacem := strings.TrimLeft(orgtest.RandomSIRET()[:10], "0")
	if err := organizations.UpdateIdentifiers(context.Background(), e.DB, otherOrg, organizations.IdentifiersInput{SacemID: sacem}, audit.Actor{}); err != nil {
		t.Fatal(err)
	}
	user, cl := e.signedIn("ids")
	org := orgtest.CreateOrganization(t, e.DB, user, "Mienne")
	path := paths.To.OrganizationSettings(org.ID) + "/identifiers"
	cl.Get(paths.To.OrganizationSettings(org.ID))

	tests := []struct {
		sacem, sacd string
		status      int
		sacemErr    string
		sacdErr     string
	}{
		{"12a", "12345678901", 422, "L’identifiant SACEM doit être composé de 1 à 10 chiffres.", "L’identifiant SACD doit être composé de 1 à 10 chiffres."},
		{sacem, "", 422, "Cet identifiant SACEM est déjà utilisé par une autre organisation. Vérifiez-le ou contactez le support.", ""},
		{"", "", 303, "", ""},
	}
	for _, tt := range tests {
		r := cl.PostForm(path, url.Values{"sacemId": {tt.sacem}, "sacdId": {tt.sacd}})
		expectStatus(t, r, tt.status)
		if tt.status == http.StatusSeeOther {
			r = cl.Get(r.Header.Get("Location"))
		}
		if got := r.Text("#sacem-id-messages"); got != tt.sacemErr {
			t.Errorf("%q: SACEM message %q, want %q", tt.sacem, got, tt.sacemErr)
		}
		if got := r.Text("#sacd-id-messages"); got != tt.sacdErr {
			t.Errorf("%q: SACD message %q, want %q", tt.sacd, got, tt.sacdErr)
		}
		if v, _ := r.Doc.Find("#sacem-id").Attr("value"); tt.status == 422 && v != tt.sacem {
			t.Errorf("input not kept: %q", v)
		}
	}
	sacd := sacem[:len(sacem)-1]
	r := cl.PostForm(path, url.Values{"sacemId": {"42"}, "sacdId": {sacd}})
	expectStatus(t, r, http.StatusSeeOther)
	r = cl.Get(r.Header.Get("Location"))
	if v, _ := r.Doc.Find("#sacd-id").Attr("value"); v != sacd || !strings.Contains(r.Text(".fr-alert--success"), "enregistrés") {
		t.Fatalf("saved value %q, flash %q", v, r.Text(".fr-alert--success"))
	}
}

// While an admin acts as a user, the audit log names the admin as the actor
// and the user as the subject, with the request id.
func TestAuditActorWhileImpersonating(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, _ := e.signedIn("impersonated")
	org := orgtest.CreateOrganization(t, e.DB, user, "Compagnie surveillée")
	adminEmail := apptest.UniqueEmail("admin")
	admin := e.CreateUser(adminEmail, true)
	cl := e.Client()
	cl.StartSession(admin, time.Hour)
	if _, err := e.DB.ExecContext(context.Background(), `UPDATE sessions SET impersonated_user_id = ?, impersonation_reason = 'support',
		impersonation_expires_at = now() + interval '1 hour' WHERE user_id = ?`, user.ID, admin); err != nil {
		t.Fatal(err)
	}
	cl.Get(paths.To.OrganizationSettings(org.ID))
	expectStatus(t, cl.PostForm(paths.To.OrganizationSettings(org.ID)+"/identifiers", url.Values{"sacemId": {"7"}}), http.StatusSeeOther)
	var row struct {
		ActorUserID   uuid.UUID `bun:"actor_user_id"`
		SubjectUserID uuid.UUID `bun:"subject_user_id"`
		RequestID     string    `bun:"request_id"`
	}
	if err := e.DB.NewRaw(`SELECT actor_user_id, subject_user_id, coalesce(request_id, '') AS request_id FROM audit_log
WHERE organization_id = ? AND action = ?`, org.ID, organizations.ActionUpdate).Scan(context.Background(), &row); err != nil {
		t.Fatal(err)
	}
	if row.ActorUserID != admin || row.SubjectUserID != user.ID || row.RequestID == "" {
		t.Fatalf("audit entry %+v, want actor %s and subject %s", row, admin, user.ID)
	}
}
