package app_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	"assistant-declaration/app/public"
	"assistant-declaration/app/series"
	"assistant-declaration/app/users"
)

// Expected outcomes in the authorization table. A positive value is a plain
// HTTP status; signIn is a 303 to the sign-in page.
const (
	ok        = http.StatusOK
	noContent = http.StatusNoContent
	see       = http.StatusSeeOther
	forbidden = http.StatusForbidden
	notFound  = http.StatusNotFound
	conflict  = http.StatusConflict
	invalid   = http.StatusUnprocessableEntity
	signIn    = -303
)

// authzRow is what one route answers to each actor:
//   - anon: a visitor with an anonymous session (and a CSRF token, so POSTs
//     reach the route's own guard rather than the CSRF check);
//   - a: a collaborator of organization A, the owner of every id in the path;
//   - b: a collaborator of organization B, using A's ids;
//   - bOwn: the same B on B's own organization with A's other ids (serie,
//     ticketing system, run, invitation); required on the routes with such an
//     id, unused (0) on the others;
//   - admin: an admin acting as themselves, collaborator of nothing.
//
// path builds the concrete URL when the route's parameters are not all in
// authzFixture.param (an ambiguous ":id", for instance). POSTs send an empty
// form with the actor's CSRF token; every POST is also checked to answer 403
// without the token.
type authzRow struct {
	method, route     string
	anon, a, b, admin int
	bOwn              int
	path              func(f *authzFixture) string
}

// authzTable lists EVERY route of app/routes.go: a route missing here fails
// TestAuthorizationOfEveryRoute. One line per route; keep them in the order of
// routes.go.
var authzTable = []authzRow{
	// Probes and files.
	{method: "GET", route: "/healthz", anon: ok, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/readyz", anon: ok, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/robots.txt", anon: ok, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/.well-known/security.txt", anon: ok, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/static/:hash/*", anon: ok, a: ok, b: ok, admin: ok},

	// Public pages.
	{method: "GET", route: "/", anon: ok, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/impact", anon: ok, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/lang/:lang", anon: see, a: see, b: see, admin: see},

	// Accounts.
	{method: "GET", route: "/auth/sign-in", anon: ok, a: see, b: see, admin: see},
	{method: "GET", route: "/authentification/connexion", anon: ok, a: see, b: see, admin: see},
	{method: "POST", route: "/auth/sign-in", anon: invalid, a: invalid, b: invalid, admin: invalid},
	{method: "POST", route: "/auth/sign-out", anon: see, a: see, b: see, admin: see},
	{method: "GET", route: "/auth/sign-up", anon: ok, a: see, b: see, admin: see},
	{method: "GET", route: "/authentification/inscription", anon: ok, a: see, b: see, admin: see},
	{method: "POST", route: "/auth/sign-up", anon: invalid, a: invalid, b: invalid, admin: invalid},
	{method: "GET", route: "/auth/sign-up/sent", anon: ok, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/authentification/inscription/envoyee", anon: ok, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/auth/sign-up/resend", anon: ok, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/authentification/inscription/renvoyer", anon: ok, a: ok, b: ok, admin: ok},
	{method: "POST", route: "/auth/sign-up/resend", anon: invalid, a: invalid, b: invalid, admin: invalid},
	{method: "GET", route: "/auth/password/retrieve", anon: ok, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/authentification/mot-de-passe/recuperer", anon: ok, a: ok, b: ok, admin: ok},
	{method: "POST", route: "/auth/password/retrieve", anon: invalid, a: invalid, b: invalid, admin: invalid},
	{method: "GET", route: "/auth/password/reset", anon: ok, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/authentification/mot-de-passe/reinitialiser", anon: ok, a: ok, b: ok, admin: ok},
	{method: "POST", route: "/auth/password/reset", anon: invalid, a: invalid, b: invalid, admin: invalid},
	{method: "GET", route: "/auth/proconnect", anon: notFound, a: see, b: see, admin: see},
	{method: "GET", route: "/auth/proconnect/callback", anon: notFound, a: notFound, b: notFound, admin: notFound},
	{method: "GET", route: "/auth/proconnect/signed-out", anon: notFound, a: notFound, b: notFound, admin: notFound},
	{method: "GET", route: "/dashboard", anon: signIn, a: see, b: ok, admin: ok}, // B has A's invitation to answer
	{method: "GET", route: "/tableau-de-bord", anon: signIn, a: see, b: ok, admin: ok},
	{method: "GET", route: "/account/settings", anon: signIn, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/compte/parametres", anon: signIn, a: ok, b: ok, admin: ok},
	{method: "POST", route: "/account/settings/profile", anon: signIn, a: invalid, b: invalid, admin: invalid},
	{method: "POST", route: "/account/settings/password", anon: signIn, a: invalid, b: invalid, admin: invalid},
	{method: "POST", route: "/account/settings/reminders", anon: signIn, a: see, b: see, admin: see},
	{method: "GET", route: "/account/delete", anon: signIn, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/compte/supprimer", anon: signIn, a: ok, b: ok, admin: ok},
	{method: "POST", route: "/account/delete", anon: signIn, a: forbidden, b: forbidden, admin: forbidden},
	{method: "GET", route: "/account/delete/proconnect", anon: signIn, a: notFound, b: notFound, admin: notFound},

	// Organizations.
	{method: "GET", route: "/dashboard/organization/create", anon: signIn, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/tableau-de-bord/organisation/creer", anon: signIn, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/tableau-de-bord/collectivite/creer", anon: signIn, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/dashboard/organization/create/companies", anon: signIn, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/dashboard/organization/create/addresses", anon: signIn, a: ok, b: ok, admin: ok},
	{method: "POST", route: "/dashboard/organization/create", anon: signIn, a: invalid, b: invalid, admin: invalid},
	{method: "GET", route: "/dashboard/organization/:organizationId", anon: signIn, a: ok, b: notFound, admin: notFound},
	{method: "GET", route: "/tableau-de-bord/organisation/:organizationId", anon: signIn, a: ok, b: notFound, admin: notFound},
	{method: "GET", route: "/dashboard/organization/:organizationId/settings", anon: signIn, a: ok, b: notFound, admin: notFound},
	{method: "GET", route: "/tableau-de-bord/organisation/:organizationId/parametres", anon: signIn, a: ok, b: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/settings/identifiers", anon: signIn, a: see, b: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/invitations", anon: signIn, a: invalid, b: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/invitations/:invitationId/revoke", anon: signIn, a: see, b: notFound, bOwn: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/leave", anon: signIn, a: see, b: notFound, admin: notFound},
	{method: "GET", route: "/invitations/:token", anon: ok, a: ok, b: ok, admin: ok},
	// A's invitation is addressed to B: only B may answer it (once B has, the link is gone for the others).
	{method: "POST", route: "/invitations/:token/accept", anon: signIn, a: notFound, b: see, admin: notFound},
	{method: "POST", route: "/dashboard/invitations/:invitationId/accept", anon: signIn, a: notFound, b: see, admin: notFound},
	{method: "POST", route: "/dashboard/invitations/:invitationId/decline", anon: signIn, a: notFound, b: see, admin: notFound},

	// Series.
	{method: "GET", route: "/dashboard/organization/:organizationId/series", anon: signIn, a: see, b: notFound, admin: notFound},
	{method: "GET", route: "/dashboard/organization/:organizationId/series/new", anon: signIn, a: ok, b: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/series", anon: signIn, a: invalid, b: notFound, admin: notFound},
	{method: "GET", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/edit", anon: signIn, a: ok, b: notFound, bOwn: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/edit", anon: signIn, a: invalid, b: notFound, bOwn: notFound, admin: notFound},
	{method: "GET", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/delete", anon: signIn, a: ok, b: notFound, bOwn: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/delete", anon: signIn, a: see, b: notFound, bOwn: notFound, admin: notFound},

	// Declarations.
	{method: "GET", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/declaration", anon: signIn, a: ok, b: notFound, bOwn: notFound, admin: notFound},
	{method: "GET", route: "/tableau-de-bord/organisation/:organizationId/serie/:eventSerieId/declaration", anon: signIn, a: ok, b: notFound, bOwn: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/declaration", anon: signIn, a: see, b: notFound, bOwn: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/declaration/fields", anon: signIn, a: invalid, b: notFound, bOwn: notFound, admin: notFound},
	{method: "GET", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/declaration/addresses", anon: signIn, a: ok, b: notFound, bOwn: notFound, admin: notFound},
	{method: "GET", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/declaration/companies", anon: signIn, a: ok, b: notFound, bOwn: notFound, admin: notFound},

	// Transmission of a declaration. A's serie has no organism chosen yet:
	// "Déclarer" is refused with its message.
	{method: "POST", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/declaration/transmit", anon: signIn, a: invalid, b: notFound, bOwn: notFound, admin: notFound},
	{method: "POST", route: "/tableau-de-bord/organisation/:organizationId/serie/:eventSerieId/declaration/transmettre", anon: signIn, a: invalid, b: notFound, bOwn: notFound, admin: notFound},
	{method: "GET", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/declaration/transmission", anon: signIn, a: ok, b: notFound, bOwn: notFound, admin: notFound},
	{method: "GET", route: "/tableau-de-bord/organisation/:organizationId/serie/:eventSerieId/declaration/transmission", anon: signIn, a: ok, b: notFound, bOwn: notFound, admin: notFound},
	{method: "GET", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/declaration/sacem.pdf", anon: signIn, a: ok, b: notFound, bOwn: notFound, admin: notFound},

	// Ticketing systems and synchronization.
	{method: "GET", route: "/dashboard/organization/:organizationId/ticketing-systems", anon: signIn, a: ok, b: notFound, admin: notFound},
	{method: "GET", route: "/tableau-de-bord/organisation/:organizationId/systemes-de-billetterie", anon: signIn, a: ok, b: notFound, admin: notFound},
	{method: "GET", route: "/dashboard/organization/:organizationId/ticketing-system/connect", anon: signIn, a: ok, b: notFound, admin: notFound},
	{method: "GET", route: "/tableau-de-bord/organisation/:organizationId/systeme-de-billetterie/connexion", anon: signIn, a: ok, b: notFound, admin: notFound},
	{method: "GET", route: "/dashboard/organization/:organizationId/ticketing", anon: signIn, a: ok, b: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/ticketing-system/connect", anon: signIn, a: invalid, b: notFound, admin: notFound},
	{method: "GET", route: "/dashboard/organization/:organizationId/ticketing-system/:ticketingSystemId/edit", anon: signIn, a: ok, b: notFound, bOwn: notFound, admin: notFound},
	{method: "GET", route: "/tableau-de-bord/organisation/:organizationId/systeme-de-billetterie/:ticketingSystemId/editer", anon: signIn, a: ok, b: notFound, bOwn: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/ticketing-system/:ticketingSystemId/edit", anon: signIn, a: invalid, b: notFound, bOwn: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/ticketing-system/:ticketingSystemId/disconnect", anon: signIn, a: see, b: notFound, bOwn: notFound, admin: notFound, path: func(f *authzFixture) string {
		return "/dashboard/organization/" + f.orgA.ID.String() + "/ticketing-system/" + f.ticketingSystemToDisconnect.String() + "/disconnect"
	}},
	{method: "POST", route: "/dashboard/organization/:organizationId/ticketing-systems/synchronize", anon: signIn, a: see, b: notFound, admin: notFound},
	{method: "GET", route: "/dashboard/organization/:organizationId/ticketing-systems/synchronization/:runId", anon: signIn, a: ok, b: notFound, bOwn: notFound, admin: notFound},

	// Documents of a serie's declaration. An empty upload form comes back to
	// the declaration page with its message; an empty type is invalid.
	{method: "POST", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/attachments", anon: signIn, a: see, b: notFound, bOwn: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/attachments/:attachmentId/type", anon: signIn, a: invalid, b: notFound, bOwn: notFound, admin: notFound},
	{method: "POST", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/attachments/:attachmentId/delete", anon: signIn, a: see, b: notFound, bOwn: notFound, admin: notFound},
	{method: "GET", route: "/dashboard/organization/:organizationId/serie/:eventSerieId/attachments/:attachmentId", anon: signIn, a: ok, b: notFound, bOwn: notFound, admin: notFound},
	{method: "GET", route: "/admin/organizations/:id/series/:serieId/attachments/:attachmentId", anon: signIn, a: notFound, b: notFound, admin: ok, path: func(f *authzFixture) string {
		return "/admin/organizations/" + f.orgA.ID.String() + "/series/" + f.serieA.String() + "/attachments/" + f.attachmentA.String()
	}},

	// Admin back office: 404 to everybody but admins.
	{method: "POST", route: "/admin/impersonation/stop", anon: signIn, a: notFound, b: notFound, admin: notFound},
	{method: "GET", route: "/admin", anon: signIn, a: notFound, b: notFound, admin: ok},
	{method: "GET", route: "/admin/organizations.csv", anon: signIn, a: notFound, b: notFound, admin: ok},
	{method: "GET", route: "/admin/organizations/:id", anon: signIn, a: notFound, b: notFound, admin: ok, path: func(f *authzFixture) string { return "/admin/organizations/" + f.orgA.ID.String() }},
	{method: "GET", route: "/admin/users", anon: signIn, a: notFound, b: notFound, admin: ok},
	{method: "GET", route: "/admin/users.csv", anon: signIn, a: notFound, b: notFound, admin: ok},
	{method: "GET", route: "/admin/users/:id", anon: signIn, a: notFound, b: notFound, admin: ok, path: func(f *authzFixture) string { return "/admin/users/" + f.userA.ID.String() }},
	{method: "POST", route: "/admin/users/:id/disable", anon: signIn, a: notFound, b: notFound, admin: see, path: func(f *authzFixture) string { return "/admin/users/" + f.userA.ID.String() + "/disable" }},
	{method: "POST", route: "/admin/users/:id/enable", anon: signIn, a: notFound, b: notFound, admin: conflict, path: func(f *authzFixture) string { return "/admin/users/" + f.userA.ID.String() + "/enable" }},
	{method: "POST", route: "/admin/users/:id/impersonate", anon: signIn, a: notFound, b: notFound, admin: invalid, path: func(f *authzFixture) string { return "/admin/users/" + f.userA.ID.String() + "/impersonate" }},
	{method: "GET", route: "/admin/audit", anon: signIn, a: notFound, b: notFound, admin: ok},
	{method: "GET", route: "/admin/declarations", anon: signIn, a: notFound, b: notFound, admin: ok},
	{method: "GET", route: "/admin/declarations.csv", anon: signIn, a: notFound, b: notFound, admin: ok},
	// Never transmitted: nothing to relaunch, a flash says so.
	{method: "POST", route: "/admin/declarations/:serieId/retry", anon: signIn, a: notFound, b: notFound, admin: see, path: func(f *authzFixture) string {
		return "/admin/declarations/" + f.serieA.String() + "/retry"
	}},
	{method: "GET", route: "/admin/statistics", anon: signIn, a: notFound, b: notFound, admin: ok},
	{method: "GET", route: "/admin/jobs", anon: signIn, a: notFound, b: notFound, admin: ok},
	{method: "POST", route: "/admin/jobs/:name/run", anon: signIn, a: notFound, b: notFound, admin: see, path: func(*authzFixture) string { return "/admin/jobs/purge-job-runs/run" }},
	{method: "GET", route: "/admin/settings", anon: signIn, a: notFound, b: notFound, admin: ok},
	{method: "POST", route: "/admin/settings/maintenance", anon: signIn, a: notFound, b: notFound, admin: invalid},
	{method: "POST", route: "/admin/settings/maintenance/clear", anon: signIn, a: notFound, b: notFound, admin: see},
	{method: "GET", route: "/admin/organizations/:id/series/:serieId/declaration", anon: signIn, a: notFound, b: notFound, admin: ok, path: func(f *authzFixture) string {
		return "/admin/organizations/" + f.orgA.ID.String() + "/series/" + f.serieA.String() + "/declaration"
	}},
	{method: "GET", route: "/admin/ticketing", anon: signIn, a: notFound, b: notFound, admin: ok},
	{method: "GET", route: "/admin/ticketing/organizations/:organizationId", anon: signIn, a: notFound, b: notFound, admin: ok},
	{method: "POST", route: "/admin/ticketing/organizations/:organizationId/resynchronize", anon: signIn, a: notFound, b: notFound, admin: see},
	{method: "GET", route: "/admin/agencies", anon: signIn, a: notFound, b: notFound, admin: ok},

	// Development tools (dev and test modes only).
	{method: "GET", route: "/dev/mails", anon: ok, a: ok, b: ok, admin: ok},
	{method: "GET", route: "/dev/mails.json", anon: ok, a: ok, b: ok, admin: ok},
}

// The public content pages, on both their paths, are public to everybody.
func init() {
	for _, p := range public.Pages {
		for _, path := range []string{p.Path, p.Alias} {
			authzTable = append(authzTable, authzRow{method: "GET", route: path, anon: ok, a: ok, b: ok, admin: ok})
		}
	}
}

// authzFixture is a fresh set of actors and records for one route, so what a
// request changes (leaving, revoking, deleting an account) cannot change the
// answer of another route.
type authzFixture struct {
	userA, userB, admin *users.User
	orgA, orgB          *organizations.Organization
	invitationA         uuid.UUID
	invitationToken     string
	serieA              uuid.UUID // a manual serie of A
	attachmentA         uuid.UUID // a document of serieA
	// Ticketing systems of A (one for the disconnect route alone) and a finished run of A.
	ticketingSystemA, ticketingSystemToDisconnect, runA uuid.UUID
}

func newAuthzFixture(t *testing.T, h *apptest.Harness) *authzFixture {
	t.Helper()
	ctx := context.Background()
	user := func(prefix string, admin bool) *users.User {
		email := apptest.UniqueEmail(prefix)
		return &users.User{ID: h.CreateUser(email, admin), Email: email, FirstName: "Camille", LastName: "Martin", Status: "confirmed", IsAdmin: admin}
	}
	f := &authzFixture{userA: user("authz-a", false), userB: user("authz-b", false), admin: user("authz-admin", true)}
	f.orgA = orgtest.CreateOrganization(t, h.DB, f.userA, "Organisation A")
	f.orgB = orgtest.CreateOrganization(t, h.DB, f.userB, "Organisation B")
	svc := &organizations.Service{DB: h.DB, BaseURL: h.Config.BaseURL}
	inviter := organizations.Inviter{ID: f.userA.ID, FullName: f.userA.FullName()}
	if err := svc.Invite(ctx, inviter, f.orgA, f.userB.Email, audit.Actor{}); err != nil {
		t.Fatal(err)
	}
	// A invites B to A's organization. The token is only emailed: give the
	// invitation one the test knows.
	f.invitationToken = uuid.NewString()
	sum := sha256.Sum256([]byte(f.invitationToken))
	if err := h.DB.NewRaw("UPDATE organization_invitations SET token_hash = ? WHERE organization_id = ? RETURNING id",
		hex.EncodeToString(sum[:]), f.orgA.ID).Scan(ctx, &f.invitationA); err != nil {
		t.Fatal(err)
	}
	serie := series.ManualSerie{Name: "Spectacle A", Events: []series.ManualEvent{{StartAt: time.Now()}}}
	var err error
	if f.serieA, err = series.CreateManual(ctx, h.DB, f.orgA.ID, serie, audit.Actor{}); err != nil {
		t.Fatal(err)
	}
	if err := h.DB.NewRaw(`INSERT INTO attachments (event_serie_id, name, content_type, size) VALUES (?, 'contrat.pdf', 'application/pdf', 3) RETURNING id`,
		f.serieA).Scan(ctx, &f.attachmentA); err != nil {
		t.Fatal(err)
	}
	if _, err := h.DB.NewRaw(`INSERT INTO attachment_contents (attachment_id, content) VALUES (?, '%PDF')`, f.attachmentA).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []*uuid.UUID{&f.ticketingSystemA, &f.ticketingSystemToDisconnect} {
		if err := h.DB.NewRaw(`INSERT INTO ticketing_systems (organization_id, name, credentials) VALUES (?, 'BILLETWEB', '\x00') RETURNING id`,
			f.orgA.ID).Scan(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := h.DB.NewRaw(`INSERT INTO synchronization_runs (organization_id, status) VALUES (?, 'succeeded') RETURNING id`, f.orgA.ID).Scan(ctx, &f.runA); err != nil {
		t.Fatal(err)
	}
	return f
}

// param is the value of a route parameter: always A's records.
func (f *authzFixture) param(name string) (string, bool) {
	switch name {
	case "organizationId":
		return f.orgA.ID.String(), true
	case "eventSerieId":
		return f.serieA.String(), true
	case "ticketingSystemId":
		return f.ticketingSystemA.String(), true
	case "runId":
		return f.runA.String(), true
	case "attachmentId":
		return f.attachmentA.String(), true
	case "invitationId":
		return f.invitationA.String(), true
	case "token":
		return f.invitationToken, true
	case "lang":
		return "en", true
	case "hash":
		return "anyhash", true
	case "*":
		return "app/app.css", true
	}
	return "", false
}

// concretePath substitutes the route's parameters.
func (f *authzFixture) concretePath(t *testing.T, route string) string {
	t.Helper()
	parts := strings.Split(route, "/")
	for i, part := range parts {
		name, isParam := strings.CutPrefix(part, ":")
		if part == "*" {
			name, isParam = part, true
		}
		if !isParam {
			continue
		}
		value, known := f.param(strings.TrimSuffix(name, "?"))
		if !known {
			t.Fatalf("%s: no value for the parameter %q: give the row a path or add it to authzFixture.param", route, part)
		}
		parts[i] = value
	}
	return strings.Join(parts, "/")
}

func TestAuthorizationOfEveryRoute(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	rows := map[string]authzRow{}
	for _, r := range authzTable {
		key := r.method + " " + r.route
		if _, dup := rows[key]; dup {
			t.Errorf("%s is twice in the authorization table", key)
		}
		rows[key] = r
	}
	seen := map[string]bool{}
	for _, route := range h.App.Fiber.GetRoutes(true) {
		if route.Method == http.MethodHead {
			continue // Fiber adds a HEAD for every GET: same handlers.
		}
		key := route.Method + " " + route.Path
		if seen[key] {
			continue
		}
		seen[key] = true
		row, listed := rows[key]
		if !listed {
			t.Errorf("%s is not in the authorization table: add it to the authorization table in app/authz_test.go", key)
			continue
		}
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			checkRouteAuthorization(t, h, row)
		})
	}
	for key := range rows {
		if !seen[key] {
			t.Errorf("%s is in the authorization table but not in the app: remove its row", key)
		}
	}
}

func checkRouteAuthorization(t *testing.T, h *apptest.Harness, row authzRow) {
	f := newAuthzFixture(t, h)
	path := f.concretePath
	if row.path != nil {
		path = func(*testing.T, string) string { return row.path(f) }
	}
	target := path(t, row.route)
	send := func(cl *apptest.Client, withCSRF bool) *apptest.Response {
		if row.method == http.MethodGet {
			return cl.Get(target)
		}
		values := url.Values{}
		if !withCSRF {
			values.Set("_csrf", "")
		}
		return cl.PostForm(target, values)
	}
	check := func(actor string, r *apptest.Response, want int) {
		t.Helper()
		got := r.StatusCode
		if want == signIn {
			if got != see || !strings.HasPrefix(r.Header.Get("Location"), "/auth/sign-in") {
				t.Errorf("%s %s as %s: %d to %q, want a 303 to the sign-in page", row.method, target, actor, got, r.Header.Get("Location"))
			}
			return
		}
		if got != want {
			t.Errorf("%s %s as %s: %d, want %d", row.method, target, actor, got, want)
		}
	}
	client := func(id uuid.UUID) *apptest.Client {
		cl := h.Client()
		cl.StartSession(id, time.Hour)
		return cl
	}
	// Anonymous, then B, then A, then the admin: A may change A's records
	// (leave, revoke), which the others must not see first.
	check("anonymous", send(client(uuid.Nil), true), row.anon)
	check("B", send(client(f.userB.ID), true), row.b)
	if _, rest, ok := strings.Cut(row.route, ":organizationId/"); ok && strings.Contains(rest, ":") && row.bOwn == 0 {
		t.Errorf("%s has an id of A after the organization's: give its row a bOwn", row.route)
	}
	if row.bOwn != 0 {
		// B's own organization in the path, A's records after it.
		ofA := target
		target = strings.Replace(ofA, f.orgA.ID.String(), f.orgB.ID.String(), 1)
		check("B on its own organization", send(client(f.userB.ID), true), row.bOwn)
		target = ofA
	}
	if row.method == http.MethodPost {
		check("A without CSRF token", send(client(f.userA.ID), false), forbidden)
	}
	check("A", send(client(f.userA.ID), true), row.a)
	check("admin", send(client(f.admin.ID), true), row.admin)
}

// A path parameter that is not a UUID is a 404 like any other unknown record.
func TestMalformedOrganizationID(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	email := apptest.UniqueEmail("malformed")
	cl := h.Client()
	cl.StartSession(h.CreateUser(email, false), time.Hour)
	for _, path := range []string{"/dashboard/organization/not-a-uuid", "/dashboard/organization/" + uuid.NewString() + "/settings"} {
		if r := cl.Get(path); r.StatusCode != notFound {
			t.Errorf("GET %s = %d", path, r.StatusCode)
		}
	}
}
