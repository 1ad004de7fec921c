package admin_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/uuid"

	"assistant-declaration/app/admin"
	"assistant-declaration/app/apptest"
	"assistant-declaration/app/mail/mailtest"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/paths"
)

// token is a random lowercase word that makes a test's rows findable alone
// in the database other tests share.
func token(t *testing.T) string {
	t.Helper()
	b := make([]byte, 10)
	for i := range b {
		n, _ := rand.Int(rand.Reader, big.NewInt(26))
		b[i] = byte('a' + n.Int64())
	}
	return string(b)
}

func digits(n int) string {
	var sb strings.Builder
	for range n {
		d, _ := rand.Int(rand.Reader, big.NewInt(10))
		sb.WriteByte(byte('0' + d.Int64()))
	}
	return sb.String()
}

// createOrg inserts an organization (and its address) directly.
func createOrg(t *testing.T, h *apptest.Harness, name, sacem string, createdAt time.Time, members ...uuid.UUID) orgtest.Inserted {
	t.Helper()
	return orgtest.Insert(t, h.DB, orgtest.Row{Name: name, SacemID: sacem, CreatedAt: createdAt, Members: members})
}

// adminClient returns the harness and a client signed in as a new admin.
func adminClient(t *testing.T) (*apptest.Harness, *apptest.Client, uuid.UUID) {
	t.Helper()
	h := apptest.New(t)
	id := h.CreateUser(apptest.UniqueEmail("admin"), true)
	cl := h.Client()
	cl.StartSession(id, time.Hour)
	return h, cl, id
}

func rowNames(r *apptest.Response) []string {
	var names []string
	r.Doc.Find("#organizations-table tbody tr td:first-child a").Each(func(_ int, s *goquery.Selection) {
		names = append(names, strings.TrimSpace(s.Text()))
	})
	return names
}

// An admin's own dashboard leads to the back office, not to creating an organization.
func TestAdminDashboardIsNotAnInvitationToCreateAnOrganization(t *testing.T) {
	t.Parallel()
	_, cl, _ := adminClient(t)
	r := cl.Get(paths.To.Dashboard())
	if r.Doc.Find(`a[href="`+paths.To.OrganizationCreate()+`"]`).Length() != 0 || strings.Contains(r.Body, "Créer une organisation") {
		t.Error("the admin is invited to create an organization")
	}
	if r.Doc.Find(`#welcome-admin a[href="`+paths.To.AdminOrganizations()+`"]`).Length() != 1 {
		t.Error("no link to the back office")
	}
}

// The impersonation form names the user on its button and leaves validation to the server
// (its message next to the field, no browser bubble).
func TestImpersonationFormNamesTheUser(t *testing.T) {
	t.Parallel()
	h, cl, _ := adminClient(t)
	id := h.CreateUser(apptest.UniqueEmail("named"), false)
	r := cl.Get(paths.To.AdminUser(id))
	if got := r.Text("#impersonation-start"); got != "Se connecter en tant que Camille Martin" {
		t.Errorf("button %q", got)
	}
	if r.Doc.Find("#impersonation form[novalidate]").Length() != 1 {
		t.Error("the impersonation form lets the browser validate")
	}
	if got := r.Text(`label[for="filter-q"], dt`); strings.Contains(got, "Email") {
		t.Errorf("admin wording %q", got)
	}
}

func TestNonAdminsDoNotSeeTheBackOffice(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	user := h.CreateUser(apptest.UniqueEmail("user"), false)
	cl := h.Client()
	cl.StartSession(user, time.Hour)
	for _, path := range []string{"/admin", "/admin/users", "/admin/audit", "/admin/organizations.csv", "/admin/users.csv",
		"/admin/users/" + user.String(), "/admin/organizations/" + uuid.NewString()} {
		if r := cl.Get(path); r.StatusCode != 404 {
			t.Errorf("GET %s as non-admin = %d, want 404", path, r.StatusCode)
		}
	}
	for _, path := range []string{"/admin/users/" + user.String() + "/disable", "/admin/users/" + user.String() + "/impersonate", "/admin/impersonation/stop"} {
		if r := cl.PostForm(path, url.Values{"reason": {"x"}}); r.StatusCode != 404 {
			t.Errorf("POST %s as non-admin = %d, want 404", path, r.StatusCode)
		}
	}
	if r := h.Client().Get("/admin"); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/auth/sign-in") {
		t.Errorf("anonymous GET /admin = %d %q, want a redirect to sign in", r.StatusCode, r.Header.Get("Location"))
	}
}

func TestOrganizationSearch(t *testing.T) {
	t.Parallel()
	h, cl, _ := adminClient(t)
	tok := token(t)
	now := time.Now()
	memberEmail := apptest.UniqueEmail("member")
	member := h.CreateUser(memberEmail, false)
	theatre := createOrg(t, h, "Théâtre des Lilas "+tok, "", now)
	cirque := createOrg(t, h, "Cirque "+tok, "", now, member)
	// A name holding the cirque's SIREN: the exact SIREN must still come first.
	createOrg(t, h, "Festival "+tok+" "+cirque.SIREN, "", now)

	tests := []struct {
		name, q string
		want    []string // first rows, in order
	}{
		{"accent-insensitive words", "theatre " + tok, []string{"Théâtre des Lilas " + tok}},
		{"partial name", "eatre des lil", nil},
		{"exact SIREN first", cirque.SIREN, []string{"Cirque " + tok, "Festival " + tok + " " + cirque.SIREN}},
		{"exact SIRET", theatre.SIRET, []string{"Théâtre des Lilas " + tok}},
		{"collaborator email", strings.ToUpper(memberEmail), []string{"Cirque " + tok}},
	}
	for _, tt := range tests {
		r := cl.Get("/admin?q=" + url.QueryEscape(tt.q))
		if r.StatusCode != 200 {
			t.Fatalf("%s: status %d", tt.name, r.StatusCode)
		}
		got := rowNames(r)
		if tt.want == nil { // other tests' rows may match too
			if !strings.Contains(strings.Join(got, "|"), "Théâtre des Lilas "+tok) {
				t.Errorf("%s: rows %q miss the theatre", tt.name, got)
			}
		} else if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: rows %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestOrganizationFiltersAndPagination(t *testing.T) {
	t.Parallel()
	h, cl, _ := adminClient(t)
	tok := token(t)
	now := time.Now()
	createOrg(t, h, "Alpha "+tok, digits(8), now)
	createOrg(t, h, "Beta "+tok, "", time.Date(2020, 1, 1, 12, 0, 0, 0, time.UTC))

	if got := rowNames(cl.Get("/admin?sacem=yes&q=" + tok)); len(got) != 1 || got[0] != "Alpha "+tok {
		t.Errorf("sacem=yes: %q", got)
	}
	if got := rowNames(cl.Get("/admin?sacem=no&q=" + tok)); len(got) != 1 || got[0] != "Beta "+tok {
		t.Errorf("sacem=no: %q", got)
	}
	if got := rowNames(cl.Get("/admin?since=2024-01-01&q=" + tok)); len(got) != 1 || got[0] != "Alpha "+tok {
		t.Errorf("since: %q", got)
	}
	if got := rowNames(cl.Get("/admin?sort=-name&q=" + tok)); strings.Join(got, "|") != "Beta "+tok+"|Alpha "+tok {
		t.Errorf("sort=-name: %q", got)
	}
	if got := rowNames(cl.Get("/admin?since=01/01/2024&q=" + tok)); len(got) != 1 || got[0] != "Alpha "+tok {
		t.Errorf("since JJ/MM/AAAA: %q", got)
	}
	r := cl.Get("/admin?since=32/12/2024&q=" + tok)
	if r.StatusCode != 422 || r.Text("#filter-since-message-error") == "" || r.Doc.Find("#filter-since").AttrOr("value", "") != "32/12/2024" ||
		r.Doc.Find("#filter-since-messages").Length() != 1 {
		t.Errorf("invalid date: status %d, error %q", r.StatusCode, r.Text("#filter-since-message-error"))
	}
	// htmx swaps the results alone: the field's message comes out of band.
	r = cl.Get("/admin?since=32/12/2024&q="+tok, "HX-Request", "true")
	if oob := r.Doc.Find("#filter-since-messages"); r.StatusCode != 422 || oob.AttrOr("hx-swap-oob", "") != "true" || r.Text("#filter-since-message-error") == "" {
		t.Errorf("htmx invalid date: status %d, out-of-band messages %d", r.StatusCode, oob.Length())
	}
	if r := cl.Get("/admin?since=01/01/2024&q="+tok, "HX-Request", "true"); r.Text("#filter-since-messages") != "" {
		t.Errorf("htmx valid date keeps an error: %q", r.Text("#filter-since-messages"))
	}

	for i := range admin.PageSize + 2 {
		createOrg(t, h, fmt.Sprintf("Page %s %02d", tok, i), "", now)
	}
	first := cl.Get("/admin?q=page+" + tok)
	if got := rowNames(first); len(got) != admin.PageSize || got[0] != "Page "+tok+" 00" {
		t.Fatalf("page 1: %d rows starting %q", len(got), got)
	}
	next, ok := first.Doc.Find("#page-next").Attr("href")
	if !ok || first.Doc.Find("#page-prev").Length() != 0 {
		t.Fatalf("page 1 links: next=%q prev=%d", next, first.Doc.Find("#page-prev").Length())
	}
	second := cl.Get(next, "HX-Request", "true")
	if strings.Contains(second.Body, "<html") || second.Doc.Find("#admin-results").Length() != 1 {
		t.Fatalf("htmx page 2 is not the results fragment")
	}
	if got := rowNames(second); len(got) != 2 || got[1] != fmt.Sprintf("Page %s %02d", tok, admin.PageSize+1) {
		t.Errorf("page 2: %q", got)
	}
	if prev, _ := second.Doc.Find("#page-prev").Attr("href"); prev != "/admin?q=page+"+tok || second.Doc.Find("#page-next").Length() != 0 {
		t.Errorf("page 2 links: prev=%q", prev)
	}
	// The same URL without htmx is the whole page, filters filled in.
	full := cl.Get(next)
	if full.Doc.Find("#filter-q").AttrOr("value", "") != "page "+tok || len(rowNames(full)) != 2 {
		t.Errorf("full page 2 lost its state")
	}
}

func TestOrganizationsCSV(t *testing.T) {
	t.Parallel()
	h, cl, _ := adminClient(t)
	tok := token(t)
	member := apptest.UniqueEmail("csv-" + tok)
	o := createOrg(t, h, "Théâtre « CSV » "+tok, "", time.Date(2025, 3, 4, 23, 30, 0, 0, time.UTC), h.CreateUser(member, false))
	r := cl.Get("/admin/organizations.csv?q=" + tok)
	if r.StatusCode != 200 || r.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("status %d, type %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
	if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="organisations-`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	want := "\ufeffNom;SIREN;SIRET du siège;Identifiant SACEM;Identifiant SACD;Collaborateurs;Création\n" +
		"Théâtre « CSV » " + tok + ";" + o.SIREN + ";" + o.SIRET + ";;;" + member + ";2025-03-05 00:30\n"
	if r.Body != want {
		t.Errorf("csv =\n%q\nwant\n%q", r.Body, want)
	}
}

func TestUsersListAndDetail(t *testing.T) {
	t.Parallel()
	h, cl, _ := adminClient(t)
	tok := token(t)
	id := h.CreateUser("zoe-"+tok+"@example.org", false)
	if _, err := h.DB.ExecContext(context.Background(), `UPDATE users SET first_name = 'Zoé', last_name = 'Hélène' WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	o := createOrg(t, h, "Orga "+tok, "", time.Now(), id)
	r := cl.Get("/admin/users?q=" + url.QueryEscape("helene") + "&status=confirmed&activity=never")
	if !strings.Contains(r.Text("#users-table tbody"), "zoe-"+tok) || !strings.Contains(r.Text("#users-table tbody"), "Orga "+tok) {
		t.Errorf("users search misses zoe: %s", r.Text("#users-table tbody"))
	}
	if r := cl.Get("/admin/users?q=zoe-" + tok + "&status=disabled"); strings.Contains(r.Body, "zoe-"+tok+"@") {
		t.Errorf("status filter ignored")
	}
	// A row names the first organizations by name and counts the others.
	many := h.CreateUser("many-"+tok+"@example.org", false)
	for _, name := range []string{"D", "B", "A", "C"} {
		createOrg(t, h, name+" "+tok, "", time.Now(), many)
	}
	row := cl.Get("/admin/users?q=many-" + tok).Text("#users-table tbody tr")
	if want := "A " + tok + ", B " + tok + ", C " + tok + " (+1)"; !strings.Contains(row, want) || strings.Contains(row, "D "+tok) {
		t.Errorf("organizations of a user in 4: %q, want %q", row, want)
	}
	csv := cl.Get("/admin/users.csv?q=zoe-" + tok)
	if !strings.Contains(csv.Body, "zoe-"+tok+"@example.org;Zoé;Hélène;Confirmé;Non;"+o.SIREN+";;") {
		t.Errorf("users csv: %q", csv.Body)
	}
	page := cl.Get("/admin/users/" + id.String())
	if page.StatusCode != 200 || page.Text("#user-email") != "zoe-"+tok+"@example.org" || !strings.Contains(page.Body, "/admin/organizations/"+o.ID.String()) {
		t.Errorf("user page: %d", page.StatusCode)
	}
	// The user's and the organization's pages name them, below the back office.
	if got := page.Text("title"); got != "Zoé Hélène — Utilisateurs — Administration - Assistant déclaration" {
		t.Errorf("user page title %q", got)
	}
	if got := strings.Join(page.Breadcrumb(t), " > "); got != "Tableau de bord > Administration > Utilisateurs > Zoé Hélène" {
		t.Errorf("user page breadcrumb %q", got)
	}
	if got := cl.Get("/admin/users/" + many.String()).Body; !strings.Contains(got, "A "+tok+"</a> (") ||
		strings.Index(got, "A "+tok) > strings.Index(got, "B "+tok) || strings.Index(got, "C "+tok) > strings.Index(got, "D "+tok) {
		t.Errorf("the page of a user in 4 organizations does not list them by name with their SIREN")
	}
	orgPage := cl.Get("/admin/organizations/" + o.ID.String())
	if !strings.Contains(orgPage.Text("#collaborators-table"), "zoe-"+tok) {
		t.Errorf("organization page misses its collaborator")
	}
	if got := strings.Join(orgPage.Breadcrumb(t), " > "); got != "Tableau de bord > Administration > Orga "+tok {
		t.Errorf("organization page breadcrumb %q", got)
	}
	if r := cl.Get("/admin/users/" + uuid.NewString()); r.StatusCode != 404 {
		t.Errorf("unknown user = %d", r.StatusCode)
	}
}

func auditCount(t *testing.T, h *apptest.Harness, action string, actor, subject uuid.UUID, extra string) int {
	t.Helper()
	var n int
	err := h.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM audit_log WHERE action = ? AND actor_user_id = ?
		AND subject_user_id = ? AND actor_email IS NOT NULL AND subject_email IS NOT NULL AND request_id <> ''`+extra,
		action, actor, subject).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDisableAndEnableUser(t *testing.T) {
	t.Parallel()
	h, cl, adminID := adminClient(t)
	email := apptest.UniqueEmail("disabled")
	id := h.CreateUser(email, false)
	victim := h.Client()
	victim.StartSession(id, time.Hour)
	if r := victim.Get("/admin/audit"); r.StatusCode != 404 { // signed in, not admin
		t.Fatalf("victim not signed in before: %d", r.StatusCode)
	}

	cl.Get("/admin/users/" + id.String())
	r := cl.PostForm("/admin/users/"+id.String()+"/disable", nil)
	if r.StatusCode != 303 || r.Header.Get("Location") != "/admin/users/"+id.String() {
		t.Fatalf("disable = %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	// The old session cookie no longer signs anyone in.
	if r := victim.Get("/admin/audit"); r.StatusCode != 303 {
		t.Errorf("old session still signed in: %d", r.StatusCode)
	}
	var sessions int
	if err := h.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM sessions WHERE user_id = ?`, id).Scan(&sessions); err != nil {
		t.Fatal(err)
	}
	if sessions != 0 {
		t.Errorf("%d sessions left", sessions)
	}
	if n := auditCount(t, h, "user_disabled", adminID, id, ""); n != 1 {
		t.Errorf("user_disabled audit rows = %d", n)
	}
	h.DeliverMails()
	m := mailtest.WaitFor(t, h.Catcher, mailtest.To(email), 5*time.Second)
	if m.Subject != "Compte désactivé" {
		t.Errorf("email subject %q", m.Subject)
	}
	page := cl.Get("/admin/users/" + id.String())
	if !strings.Contains(page.Body, "Le compte a été désactivé") || page.Doc.Find("#enable-user").Length() != 1 {
		t.Errorf("user page after disabling lacks flash or enable button")
	}
	// Disabling twice is refused; re-enabling gives the status back.
	if r := cl.PostForm("/admin/users/"+id.String()+"/disable", nil); r.StatusCode != 409 {
		t.Errorf("second disable = %d", r.StatusCode)
	}
	cl.Get("/admin/users/" + id.String())
	if r := cl.PostForm("/admin/users/"+id.String()+"/enable", nil); r.StatusCode != 303 {
		t.Fatalf("enable = %d", r.StatusCode)
	}
	var status string
	if err := h.DB.QueryRowContext(context.Background(), `SELECT status FROM users WHERE id = ?`, id).Scan(&status); err != nil {
		t.Fatal(err)
	}
	if status != "confirmed" || auditCount(t, h, "user_enabled", adminID, id, "") != 1 {
		t.Errorf("after enable: status %q", status)
	}
	// An admin cannot disable themself.
	cl.Get("/admin/users/" + adminID.String())
	if r := cl.PostForm("/admin/users/"+adminID.String()+"/disable", nil); r.StatusCode != 422 {
		t.Errorf("self disable = %d", r.StatusCode)
	}
}

func TestImpersonation(t *testing.T) {
	t.Parallel()
	h, cl, adminID := adminClient(t)
	email := apptest.UniqueEmail("target")
	id := h.CreateUser(email, false)
	otherAdmin := h.CreateUser(apptest.UniqueEmail("other-admin"), true)
	path := "/admin/users/" + id.String()
	org := createOrg(t, h, "Compagnie de la cible", "", time.Now(), id)

	cl.Get(path)
	r := cl.PostForm(path+"/impersonate", url.Values{"reason": {"  "}})
	if r.StatusCode != 422 || r.Text("#impersonation-reason-message-error") != "Indiquez le motif de la connexion." {
		t.Fatalf("empty reason = %d %q", r.StatusCode, r.Text("#impersonation-reason-message-error"))
	}
	r.ErrorSummary(t, "impersonation-reason")
	// htmx gets the form alone, input kept, with its summary.
	r = cl.PostForm(path+"/impersonate", url.Values{"reason": {strings.Repeat("x", 501)}}, "HX-Request", "true")
	if r.StatusCode != 422 || strings.Contains(r.Body, "<html") || r.Doc.Find("#impersonation-reason").AttrOr("value", "") != strings.Repeat("x", 501) {
		t.Errorf("htmx too long reason = %d", r.StatusCode)
	}
	r.ErrorSummary(t, "impersonation-reason")
	cl.Get("/admin/users/" + otherAdmin.String())
	r = cl.PostForm("/admin/users/"+otherAdmin.String()+"/impersonate", url.Values{"reason": {"ticket 1"}})
	if r.StatusCode != 422 || !strings.Contains(r.Text("#impersonation-reason-message-error"), "administrateur") {
		t.Errorf("impersonating an admin = %d %q", r.StatusCode, r.Text("#impersonation-reason-message-error"))
	}

	cl.Get(path)
	r = cl.PostForm(path+"/impersonate", url.Values{"reason": {"ticket de support 12345"}})
	if r.StatusCode != 303 || r.Header.Get("Location") != "/dashboard" {
		t.Fatalf("start = %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	page := cl.Get("/about")
	if page.Doc.Find("#impersonation-banner").Length() != 1 || !strings.Contains(page.Text("#impersonation-banner"), email) {
		t.Fatalf("no banner while impersonating")
	}
	if r := cl.Get("/admin"); r.StatusCode != 404 {
		t.Errorf("back office while impersonating = %d", r.StatusCode)
	}
	// The organizations of the user acted for open; the admin's own do not.
	if r := cl.Get(paths.To.Organization(org.ID)); r.StatusCode != 200 || !strings.Contains(r.Text("h1"), "Compagnie de la cible") {
		t.Errorf("organization page while impersonating = %d %q", r.StatusCode, r.Text("h1"))
	}
	r = cl.PostForm("/admin/impersonation/stop", nil)
	if r.StatusCode != 303 || r.Header.Get("Location") != path {
		t.Fatalf("stop = %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := cl.Get(paths.To.Organization(org.ID)); r.StatusCode != 404 {
		t.Errorf("organization page after impersonating = %d", r.StatusCode)
	}
	back := cl.Get(path)
	if back.StatusCode != 200 || back.Doc.Find("#impersonation-banner").Length() != 0 {
		t.Errorf("after stop: %d, banner %d", back.StatusCode, back.Doc.Find("#impersonation-banner").Length())
	}
	reason := ` AND details->>'reason' = 'ticket de support 12345'`
	if auditCount(t, h, "impersonation_start", adminID, id, reason) != 1 || auditCount(t, h, "impersonation_stop", adminID, id, reason) != 1 {
		t.Errorf("missing impersonation audit rows")
	}
	// The audit page shows them, filtered by the target's email.
	a := cl.Get("/admin/audit?email=" + url.QueryEscape(strings.ToUpper(email)))
	if a.Doc.Find(`#audit-table tr[data-action="impersonation_start"]`).Length() != 1 ||
		a.Doc.Find(`#audit-table tr[data-action="impersonation_stop"]`).Length() != 1 {
		t.Errorf("audit page misses the impersonation rows")
	}
}

func TestAuditKeysetPagination(t *testing.T) {
	t.Parallel()
	h, cl, _ := adminClient(t)
	email := apptest.UniqueEmail("audited")
	for i := range admin.PageSize + 3 {
		if _, err := h.DB.ExecContext(context.Background(),
			`INSERT INTO audit_log (action, subject_email, details) VALUES ('sign_in', ?, ?)`, email, fmt.Sprintf(`{"n":%d}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	first := cl.Get("/admin/audit?action=sign_in&email=" + url.QueryEscape(email))
	if n := first.Doc.Find("#audit-table tbody tr").Length(); n != admin.PageSize || !strings.Contains(first.Text("#audit-table tbody tr"), fmt.Sprintf("n: %d", admin.PageSize+2)) {
		t.Fatalf("first page: %d rows, first %q", n, first.Text("#audit-table tbody tr"))
	}
	older, ok := first.Doc.Find("#page-next").Attr("href")
	if !ok || first.Doc.Find("#page-prev").Length() != 0 {
		t.Fatalf("first page links")
	}
	second := cl.Get(older)
	if n := second.Doc.Find("#audit-table tbody tr").Length(); n != 3 {
		t.Errorf("second page: %d rows", n)
	}
	newer, _ := second.Doc.Find("#page-prev").Attr("href")
	back := cl.Get(newer)
	if n := back.Doc.Find("#audit-table tbody tr").Length(); n != admin.PageSize || !strings.Contains(back.Text("#audit-table tbody tr"), fmt.Sprintf("n: %d", admin.PageSize+2)) {
		t.Errorf("back to newer: %d rows, first %q", n, back.Text("#audit-table tbody tr"))
	}
	if r := cl.Get("/admin/audit?from=nope"); r.StatusCode != 422 {
		t.Errorf("invalid from = %d", r.StatusCode)
	}
}

func TestSeedOrganizationsIsIdempotent(t *testing.T) {
	t.Parallel()
	h, cl, _ := adminClient(t)
	ctx := context.Background()
	for range 2 {
		if err := admin.SeedOrganizations(ctx, h.DB, 12); err != nil {
			t.Fatal(err)
		}
	}
	var orgs, members int
	err := h.DB.QueryRowContext(ctx, `SELECT count(DISTINCT o.id), count(c.id) FROM organizations o
		LEFT JOIN collaborators c ON c.organization_id = o.id
		WHERE o.official_id IN (SELECT '9' || lpad(i::text, 8, '0') FROM generate_series(1, 12) i)`).Scan(&orgs, &members)
	if err != nil || orgs != 12 || members != 12*admin.DemoUsersPerOrganization {
		t.Fatalf("seeded %d organizations, %d collaborators (%v)", orgs, members, err)
	}
	// Demo names carry accents: "lumieres" finds "Théâtre des Lumières 10".
	if got := rowNames(cl.Get("/admin?q=theatre+lumieres+10")); len(got) == 0 || got[0] != "Théâtre des Lumières 10" {
		t.Errorf("search in demo data: %q", got)
	}
}
