package organizations_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
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
	orgs, err := organizations.ListForUser(context.Background(), e.DB, user.ID)
	if err != nil || len(orgs) != 1 {
		t.Fatalf("ListForUser: %v %v", orgs, err)
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
	orgs, _ := organizations.ListForUser(context.Background(), e.DB, user.ID)
	if len(orgs) != 1 || r.Header.Get("HX-Redirect") != paths.To.Organization(orgs[0].ID) {
		t.Fatalf("htmx creation: %v %v", orgs, r.Header)
	}
	org, _ := organizations.GetForCollaborator(context.Background(), e.DB, orgs[0].ID, user.ID)
	if a := org.HeadquartersAddress; a.Street != "4 Rue Jean Moulin" || a.PostalCode != "35000" || a.City != "Rennes" || a.CountryCode != "FR" {
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
		{"already a collaborator", "member", orgtest.RandomSIRET(), "", "#create-siret-messages", "Vous faites déjà partie d’une organisation"},
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

func TestInviteExistingUser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, cl := e.signedIn("inviter")
	org := orgtest.CreateOrganization(t, e.DB, user, "Compagnie accueillante")
	colleague, _ := e.signedIn("colleague")
	cl.Get(paths.To.OrganizationSettings(org.ID))

	r := cl.PostForm(paths.To.Organization(org.ID)+"/invitations", url.Values{"email": {strings.ToUpper(colleague.Email)}})
	expectStatus(t, r, http.StatusSeeOther)
	if !e.isCollaborator(t, org.ID, colleague.ID) {
		t.Fatal("an existing user joins at once")
	}
	subject, text := e.lastMail(t, colleague.Email)
	if subject != "Bienvenue !" || !strings.Contains(text, paths.To.Organization(org.ID)) {
		t.Fatalf("welcome email %q: %s", subject, text)
	}
	// Inviting them again is a field error, with the input kept.
	r = cl.PostForm(paths.To.Organization(org.ID)+"/invitations", url.Values{"email": {colleague.Email}})
	expectStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Text("#invite-email-messages"), "fait déjà partie") {
		t.Fatalf("message %q", r.Text("#invite-email-messages"))
	}
	r = cl.PostForm(paths.To.Organization(org.ID)+"/invitations", url.Values{"email": {"pas une adresse"}})
	expectStatus(t, r, http.StatusUnprocessableEntity)
	if v, _ := r.Doc.Find("#invite-email").Attr("value"); v != "pas une adresse" {
		t.Fatalf("input not kept: %q", v)
	}

	// Now two collaborators: one may leave, the last one may not.
	r = cl.PostForm(paths.To.Organization(org.ID)+"/leave", nil)
	expectStatus(t, r, http.StatusSeeOther)
	if e.isCollaborator(t, org.ID, user.ID) {
		t.Fatal("the user did not leave")
	}
	expectStatus(t, cl.Get(paths.To.Organization(org.ID)), http.StatusNotFound)
	ccl := e.Client()
	ccl.StartSession(colleague.ID, time.Hour)
	ccl.Get(paths.To.OrganizationSettings(org.ID))
	r = ccl.PostForm(paths.To.Organization(org.ID)+"/leave", nil)
	expectStatus(t, r, http.StatusSeeOther)
	r = ccl.Get(r.Header.Get("Location"))
	if !e.isCollaborator(t, org.ID, colleague.ID) || !strings.Contains(r.Text(".fr-alert--error"), "dernier collaborateur") {
		t.Fatalf("the last collaborator must stay: %q", r.Text(".fr-alert--error"))
	}
}

var linkPattern = regexp.MustCompile(`http://[^\s]+/invitations/[A-Za-z0-9_-]+`)

// invite invites a new address and returns the link of the email.
func invite(t *testing.T, e *env, cl *apptest.Client, org *organizations.Organization, email string) string {
	t.Helper()
	cl.Get(paths.To.OrganizationSettings(org.ID))
	r := cl.PostForm(paths.To.Organization(org.ID)+"/invitations", url.Values{"email": {email}})
	expectStatus(t, r, http.StatusSeeOther)
	subject, text := e.lastMail(t, email)
	link := linkPattern.FindString(text)
	if !strings.HasPrefix(subject, "Invitation à rejoindre "+org.Name) || link == "" {
		t.Fatalf("invitation email %q: %s", subject, text)
	}
	return strings.TrimPrefix(link, e.Config.BaseURL)
}

func TestInviteNewPerson(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, cl := e.signedIn("inviter")
	org := orgtest.CreateOrganization(t, e.DB, user, "Compagnie invitante")
	ctx := context.Background()

	// Through sign-up: the link's page offers to sign up with the address;
	// confirming the account (accounts calls AcceptPendingInvitations) joins.
	email := apptest.UniqueEmail("newcomer")
	link := invite(t, e, cl, org, email)
	if r := cl.Get(paths.To.OrganizationSettings(org.ID)); !strings.Contains(r.Text("#invitations"), email) {
		t.Fatal("pending invitation not listed")
	}
	anon := e.Client()
	r := anon.Get(link)
	expectStatus(t, r, http.StatusOK)
	if href, _ := r.Doc.Find(`main a[href^="/auth/sign-up?"]`).Attr("href"); href != "/auth/sign-up?email="+url.QueryEscape(email) {
		t.Fatalf("sign-up link %q", href)
	}
	newID := e.CreateUser(email, false)
	joined, err := organizations.AcceptPendingInvitations(ctx, e.DB, newID, strings.ToUpper(email))
	if err != nil || len(joined) != 1 || joined[0] != org.ID || !e.isCollaborator(t, org.ID, newID) {
		t.Fatalf("AcceptPendingInvitations: %v %v", joined, err)
	}
	expectStatus(t, anon.Get(link), http.StatusNotFound)

	// Through the link, signed in with the invited address.
	email2 := apptest.UniqueEmail("signedin")
	link2 := invite(t, e, cl, org, email2)
	id2 := e.CreateUser(email2, false)
	cl2 := e.Client()
	cl2.StartSession(id2, time.Hour)
	r = cl2.Get(link2)
	expectStatus(t, r, http.StatusOK)
	r = cl2.PostForm(link2+"/accept", nil)
	expectStatus(t, r, http.StatusSeeOther)
	if r.Header.Get("Location") != paths.To.Organization(org.ID) || !e.isCollaborator(t, org.ID, id2) {
		t.Fatal("accepting the link did not join")
	}

	// Somebody else's link is refused, and its page says why.
	link3 := invite(t, e, cl, org, apptest.UniqueEmail("third"))
	_, stranger := e.signedIn("stranger")
	r = stranger.Get(link3)
	expectStatus(t, r, http.StatusOK)
	if !strings.Contains(r.Text("main .fr-alert--warning"), "envoyée à une autre adresse") || r.Doc.Find(`main form[action$="/accept"]`).Length() != 0 {
		t.Fatalf("invitation page for another address: %s", r.Text("main"))
	}
	expectStatus(t, stranger.PostForm(link3+"/accept", nil), http.StatusForbidden)

	// Revoked: the link stops working.
	invs, _ := organizations.PendingInvitations(ctx, e.DB, org.ID)
	if len(invs) != 1 {
		t.Fatalf("pending invitations: %v", invs)
	}
	r = cl.PostForm(paths.To.Organization(org.ID)+"/invitations/"+invs[0].ID.String()+"/revoke", nil)
	expectStatus(t, r, http.StatusSeeOther)
	expectStatus(t, e.Client().Get(link3), http.StatusNotFound)
	expectStatus(t, cl.PostForm(paths.To.Organization(org.ID)+"/invitations/"+invs[0].ID.String()+"/revoke", nil), http.StatusNotFound)

	// Expired after 14 days: neither the link nor sign-up joins.
	email4 := apptest.UniqueEmail("late")
	link4 := invite(t, e, cl, org, email4)
	if _, err := e.DB.ExecContext(ctx, "UPDATE organization_invitations SET expires_at = now() - interval '1 second' WHERE email = ?", email4); err != nil {
		t.Fatal(err)
	}
	expectStatus(t, e.Client().Get(link4), http.StatusNotFound)
	late := e.CreateUser(email4, false)
	if joined, err := organizations.AcceptPendingInvitations(ctx, e.DB, late, email4); err != nil || len(joined) != 0 {
		t.Fatalf("an expired invitation joined: %v %v", joined, err)
	}
	if r := cl.Get(paths.To.OrganizationSettings(org.ID)); !strings.Contains(r.Text("#invitations"), "Expirée") {
		t.Fatal("expired invitations are shown as such")
	}
}

// The expiry is 14 days after the invitation, by the service's clock.
func TestInvitationExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, _ := e.signedIn("clock")
	org := orgtest.CreateOrganization(t, e.DB, user, "Horloge")
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	svc := &organizations.Service{DB: e.DB, Companies: organizations.MockDirectory{}, Addresses: organizations.MockDirectory{},
		BaseURL: "http://test", Now: func() time.Time { return now }}
	email := apptest.UniqueEmail("clocked")
	inviter := organizations.Inviter{ID: user.ID, FullName: user.FullName()}
	if res, err := svc.Invite(context.Background(), inviter, org, email, audit.Actor{}); err != nil || res != organizations.Invited {
		t.Fatal(res, err)
	}
	invs, _ := organizations.PendingInvitations(context.Background(), e.DB, org.ID)
	if len(invs) != 1 || !invs[0].ExpiresAt.Equal(now.Add(14*24*time.Hour)) {
		t.Fatalf("expiry %v", invs)
	}
	if invs[0].Expired(now.Add(14*24*time.Hour-time.Second)) || !invs[0].Expired(now.Add(14*24*time.Hour)) {
		t.Fatal("Expired is wrong around the 14-day limit")
	}
}

// The whole path of a new person: invitation link, sign-up, confirmation link:
// confirming the account makes them a collaborator.
func TestInvitationThroughSignUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, cl := e.signedIn("inviter")
	org := orgtest.CreateOrganization(t, e.DB, user, "Compagnie ouverte")
	email := apptest.UniqueEmail("invited")
	link := invite(t, e, cl, org, email)

	visitor := e.Client()
	r := visitor.Get(link)
	signUp, _ := r.Doc.Find(`main a[href^="/auth/sign-up?"]`).Attr("href")
	visitor.Get(signUp)
	r = visitor.PostForm("/auth/sign-up", url.Values{"firstName": {"Dominique"}, "lastName": {"Petit"}, "email": {email},
		"password": {"Un mot de passe 42 !"}, "termsAccepted": {"on"}})
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-up: %d %s", r.StatusCode, r.Text(".fr-message--error"))
	}
	_, text := e.lastMail(t, email)
	confirm := regexp.MustCompile(`/auth/sign-in\?token=[^\s]+`).FindString(text)
	if confirm == "" {
		t.Fatalf("no confirmation link in %s", text)
	}
	visitor.Get(confirm)
	var userID uuid.UUID
	if err := e.DB.NewRaw("SELECT id FROM users WHERE email = ?", email).Scan(context.Background(), &userID); err != nil {
		t.Fatal(err)
	}
	if !e.isCollaborator(t, org.ID, userID) {
		t.Fatal("confirming the account did not join the inviting organization")
	}
}

// Inviting an address again replaces its pending invitation: one row, and
// only the newest link works.
func TestReinviteReplacesThePendingInvitation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, cl := e.signedIn("reinviter")
	org := orgtest.CreateOrganization(t, e.DB, user, "Compagnie insistante")
	email := apptest.UniqueEmail("twice")
	first := invite(t, e, cl, org, email)
	second := invite(t, e, cl, org, strings.ToUpper(email))
	if first == second {
		t.Fatal("the same link twice")
	}
	if invs, err := organizations.PendingInvitations(context.Background(), e.DB, org.ID); err != nil || len(invs) != 1 {
		t.Fatalf("pending invitations: %v %v", invs, err)
	}
	expectStatus(t, e.Client().Get(first), http.StatusNotFound)
	expectStatus(t, e.Client().Get(second), http.StatusOK)
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
