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
	"github.com/uptrace/bun"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/organizations/orgtest"
	"assistant-declaration/app/paths"
)

var linkPattern = regexp.MustCompile(`http://[^\s]+/invitations/[A-Za-z0-9_-]+`)

// postInvitation posts the invitation form of org for email.
func postInvitation(cl *apptest.Client, org *organizations.Organization, email string) *apptest.Response {
	return cl.PostForm(paths.To.OrganizationInvitations(org.ID), url.Values{"email": {email}})
}

// invite invites an address and returns the link of the email.
func invite(t *testing.T, e *env, cl *apptest.Client, org *organizations.Organization, email string) string {
	t.Helper()
	cl.Get(paths.To.OrganizationSettings(org.ID))
	expectStatus(t, postInvitation(cl, org, email), http.StatusSeeOther)
	subject, text := e.lastMail(t, email)
	link := linkPattern.FindString(text)
	if !strings.HasPrefix(subject, "Invitation à rejoindre "+org.Name) || link == "" {
		t.Fatalf("invitation email %q: %s", subject, text)
	}
	return strings.TrimPrefix(link, e.Config.BaseURL)
}

// noticeButton is where the button answer ("accept" or "decline") of the
// first invitation notice of a dashboard posts.
func noticeButton(r *apptest.Response, answer string) string {
	action, _ := r.Doc.Find(`.app-invitation-notice form[action$="/` + answer + `"]`).Attr("action")
	return action
}

// mailsTo counts the outbox emails to addr.
func (e *env) mailsTo(t *testing.T, addr string) int {
	t.Helper()
	var n int
	if err := e.DB.NewRaw("SELECT count(*) FROM email_outbox WHERE ? = ANY(to_addresses)", addr).Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Inviting the address of an account and an unknown address answer alike
// (decision P16): same status, page and email, and nobody joins before
// accepting.
func TestInviteAnswersTheSameForEveryAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, cl := e.signedIn("inviter")
	org := orgtest.CreateOrganization(t, e.DB, user, "Compagnie discrète")
	colleague, _ := e.signedIn("colleague")
	stranger := apptest.UniqueEmail("stranger")

	type answer struct{ status, location, flash, subject, mail string }
	answers := map[string]answer{}
	for _, email := range []string{strings.ToUpper(colleague.Email), stranger} {
		cl.Get(paths.To.OrganizationSettings(org.ID))
		r := postInvitation(cl, org, email)
		page := cl.Get(r.Header.Get("Location"))
		subject, text := e.lastMail(t, email)
		answers[email] = answer{status: r.Status, location: r.Header.Get("Location"), flash: page.Text(".fr-alert--success"),
			subject: subject, mail: linkPattern.ReplaceAllString(text, "LINK")}
	}
	if a, b := answers[strings.ToUpper(colleague.Email)], answers[stranger]; a != b {
		t.Fatalf("an existing account answers\n%+v\nan unknown address\n%+v", a, b)
	}
	if a := answers[stranger]; a.status != "303 See Other" || !strings.Contains(a.flash, "quand elle l’aura acceptée") {
		t.Fatalf("answer %+v", a)
	}
	if e.isCollaborator(t, org.ID, colleague.ID) {
		t.Fatal("an existing account joined without accepting")
	}
	if r := cl.Get(paths.To.OrganizationSettings(org.ID)); r.Doc.Find("#invitations tbody tr").Length() != 2 {
		t.Fatalf("both invitations pending: %s", r.Text("#invitations"))
	}
}

// The person with an account finds the invitation on their dashboard and
// accepts it there; another one declines it.
func TestAnswerAnInvitationFromTheDashboard(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, cl := e.signedIn("inviter")
	org := orgtest.CreateOrganization(t, e.DB, user, "Compagnie accueillante")
	colleague, ccl := e.signedIn("colleague")
	refuser, rcl := e.signedIn("refuser")
	invite(t, e, cl, org, colleague.Email)
	invite(t, e, cl, org, refuser.Email)

	r := ccl.Get(paths.To.Dashboard())
	expectStatus(t, r, http.StatusOK)
	notice := r.Text(".app-invitation-notice")
	if !strings.Contains(notice, "Invitation à rejoindre Compagnie accueillante") || !strings.Contains(notice, "Camille Martin vous invite") {
		t.Fatalf("dashboard notice %q", notice)
	}
	accept := noticeButton(r, "accept")
	// Nobody else may answer it, not even the inviter.
	cl.Get(paths.To.Dashboard())
	expectStatus(t, cl.PostForm(accept, nil), http.StatusNotFound)
	expectStatus(t, rcl.PostForm(accept, nil), http.StatusNotFound)
	r = ccl.PostForm(accept, nil)
	expectStatus(t, r, http.StatusSeeOther)
	if r.Header.Get("Location") != paths.To.Organization(org.ID) || !e.isCollaborator(t, org.ID, colleague.ID) {
		t.Fatalf("accepting from the dashboard went to %q", r.Header.Get("Location"))
	}
	if subject, _ := e.lastMail(t, colleague.Email); subject != "Bienvenue !" {
		t.Fatalf("welcome email %q", subject)
	}
	expectStatus(t, ccl.PostForm(accept, nil), http.StatusNotFound)
	// With one organization and nothing to answer, the dashboard opens it.
	if r := ccl.Get(paths.To.Dashboard()); r.Header.Get("Location") != paths.To.Organization(org.ID) {
		t.Fatalf("dashboard: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}

	r = rcl.Get(paths.To.Dashboard())
	decline := noticeButton(r, "decline")
	r = rcl.PostForm(decline, nil)
	expectStatus(t, r, http.StatusSeeOther)
	r = rcl.Get(r.Header.Get("Location"))
	if e.isCollaborator(t, org.ID, refuser.ID) || r.Doc.Find(".app-invitation-notice").Length() != 0 || !strings.Contains(r.Text(".fr-alert--success"), "refusée") {
		t.Fatalf("after declining: %s", r.Text("main"))
	}
	if r := cl.Get(paths.To.OrganizationSettings(org.ID)); r.Doc.Find("#invitations").Length() != 0 {
		t.Fatalf("answered invitations still pending: %s", r.Text("#invitations"))
	}
}

// The link: the invited person signed in with the address accepts (or
// declines) on its page; anyone else is refused; a revoked or expired link
// stops working.
func TestAnswerAnInvitationByItsLink(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, cl := e.signedIn("inviter")
	org := orgtest.CreateOrganization(t, e.DB, user, "Compagnie invitante")
	ctx := context.Background()

	invited, icl := e.signedIn("invited")
	link := invite(t, e, cl, org, invited.Email)
	anon := e.Client()
	r := anon.Get(link)
	expectStatus(t, r, http.StatusOK)
	if href, _ := r.Doc.Find(`main a[href^="/auth/sign-up?"]`).Attr("href"); href != "/auth/sign-up?email="+url.QueryEscape(invited.Email) {
		t.Fatalf("sign-up link %q", href)
	}
	r = icl.Get(link)
	if r.Doc.Find(`main form[action$="/decline"]`).Length() != 1 {
		t.Fatalf("no decline button: %s", r.Text("main"))
	}
	r = icl.PostForm(link+"/accept", nil)
	expectStatus(t, r, http.StatusSeeOther)
	if r.Header.Get("Location") != paths.To.Organization(org.ID) || !e.isCollaborator(t, org.ID, invited.ID) {
		t.Fatal("accepting the link did not join")
	}
	expectStatus(t, anon.Get(link), http.StatusNotFound)

	// Somebody else's link is refused, and its page says why.
	link3 := invite(t, e, cl, org, apptest.UniqueEmail("third"))
	_, stranger := e.signedIn("stranger")
	r = stranger.Get(link3)
	expectStatus(t, r, http.StatusOK)
	if !strings.Contains(r.Text("main .fr-alert--warning"), "envoyée à une autre adresse") || r.Doc.Find(`main form`).Length() != 0 {
		t.Fatalf("invitation page for another address: %s", r.Text("main"))
	}
	expectStatus(t, stranger.PostForm(link3+"/accept", nil), http.StatusForbidden)

	// Revoked: the link stops working.
	invs, _ := pendingInvitations(ctx, e.DB, org.ID)
	if len(invs) != 1 {
		t.Fatalf("pending invitations: %v", invs)
	}
	revoke := paths.To.OrganizationRevoke(org.ID, invs[0].ID)
	expectStatus(t, cl.PostForm(revoke, nil), http.StatusSeeOther)
	expectStatus(t, e.Client().Get(link3), http.StatusNotFound)
	expectStatus(t, cl.PostForm(revoke, nil), http.StatusNotFound)

	// Expired after 14 days: neither the link nor the dashboard accepts it.
	late, lcl := e.signedIn("late")
	link4 := invite(t, e, cl, org, late.Email)
	if _, err := e.DB.ExecContext(ctx, "UPDATE organization_invitations SET expires_at = now() - interval '1 second' WHERE email = ?", late.Email); err != nil {
		t.Fatal(err)
	}
	expectStatus(t, e.Client().Get(link4), http.StatusNotFound)
	if r := lcl.Get(paths.To.Dashboard()); r.Doc.Find(".app-invitation-notice").Length() != 0 {
		t.Fatal("an expired invitation is offered on the dashboard")
	}
	invs, _ = pendingInvitations(ctx, e.DB, org.ID)
	lcl.Get(paths.To.Dashboard())
	expectStatus(t, lcl.PostForm(paths.To.DashboardInvitationAccept(invs[0].ID), nil), http.StatusNotFound)
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
	if err := svc.Invite(context.Background(), inviter, org, email, audit.Actor{}); err != nil {
		t.Fatal(err)
	}
	invs, _ := pendingInvitations(context.Background(), e.DB, org.ID)
	if len(invs) != 1 || !invs[0].ExpiresAt.Equal(now.Add(14*24*time.Hour)) {
		t.Fatalf("expiry %v", invs)
	}
	if invs[0].Expired(now.Add(14*24*time.Hour-time.Second)) || !invs[0].Expired(now.Add(14*24*time.Hour)) {
		t.Fatal("Expired is wrong around the 14-day limit")
	}
}

// The whole path of a new person: invitation link, sign-up, confirmation
// link. Confirming the account joins nothing; the invitation waits on their
// dashboard, where they accept it.
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
	if e.isCollaborator(t, org.ID, userID) {
		t.Fatal("confirming the account joined the inviting organization without asking")
	}
	ncl := e.Client()
	ncl.StartSession(userID, time.Hour)
	r = ncl.Get(paths.To.Dashboard())
	accept := noticeButton(r, "accept")
	expectStatus(t, ncl.PostForm(accept, nil), http.StatusSeeOther)
	if !e.isCollaborator(t, org.ID, userID) {
		t.Fatal("accepting from the dashboard did not join")
	}
}

// A second invitation to an address with a pending one is refused with a
// message (one email); once it expired, inviting again sends a new link.
func TestSecondPendingInvitationIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, cl := e.signedIn("reinviter")
	org := orgtest.CreateOrganization(t, e.DB, user, "Compagnie insistante")
	email := apptest.UniqueEmail("twice")
	first := invite(t, e, cl, org, email)
	r := postInvitation(cl, org, strings.ToUpper(email))
	expectStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Text("#invite-email-messages"), "déjà en attente") {
		t.Fatalf("message %q", r.Text("#invite-email-messages"))
	}
	if v, _ := r.Doc.Find("#invite-email").Attr("value"); v != strings.ToUpper(email) {
		t.Fatalf("input not kept: %q", v)
	}
	if n := e.mailsTo(t, email); n != 1 {
		t.Fatalf("%d emails, want 1", n)
	}
	expectStatus(t, e.Client().Get(first), http.StatusOK)

	if _, err := e.DB.ExecContext(context.Background(), "UPDATE organization_invitations SET expires_at = now() - interval '1 second' WHERE email = ?", email); err != nil {
		t.Fatal(err)
	}
	second := invite(t, e, cl, org, email)
	if invs, err := pendingInvitations(context.Background(), e.DB, org.ID); err != nil || len(invs) != 1 {
		t.Fatalf("pending invitations: %v %v", invs, err)
	}
	expectStatus(t, e.Client().Get(first), http.StatusNotFound)
	expectStatus(t, e.Client().Get(second), http.StatusOK)

	// A collaborator is not invited either.
	cl.Get(paths.To.OrganizationSettings(org.ID))
	r = postInvitation(cl, org, user.Email)
	expectStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.Text("#invite-email-messages"), "fait déjà partie") {
		t.Fatalf("message %q", r.Text("#invite-email-messages"))
	}
	r = postInvitation(cl, org, "pas une adresse")
	expectStatus(t, r, http.StatusUnprocessableEntity)
}

// 25 invitations in a burst: the inviter is stopped after 10 (429), and
// emails stop with them; the organization is limited across its inviters.
func TestInvitationsAreRateLimited(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	user, cl := e.signedIn("burst")
	org := orgtest.CreateOrganization(t, e.DB, user, "Compagnie pressée")
	cl.Get(paths.To.OrganizationSettings(org.ID))
	victim := apptest.UniqueEmail("victim")
	statuses := map[int]int{}
	for i := range 25 {
		email := victim
		if i%2 == 1 {
			email = apptest.UniqueEmail("burst-target")
		}
		statuses[postInvitation(cl, org, email).StatusCode]++
	}
	if statuses[http.StatusTooManyRequests] != 15 || e.mailsTo(t, victim) != 1 {
		t.Fatalf("statuses %v, %d emails to the same address", statuses, e.mailsTo(t, victim))
	}
	r := postInvitation(cl, org, apptest.UniqueEmail("later"))
	expectStatus(t, r, http.StatusTooManyRequests)
	if !strings.Contains(r.Text("main"), "trop d’invitations") {
		t.Fatalf("429 page: %s", r.Text("main"))
	}

	// Other collaborators of the organization share its limit of 30 a day.
	sent := 10
	for i := range 3 {
		other, ocl := e.signedIn("colleague")
		if _, err := e.DB.ExecContext(context.Background(), "INSERT INTO collaborators (user_id, organization_id) VALUES (?, ?)", other.ID, org.ID); err != nil {
			t.Fatal(err)
		}
		ocl.Get(paths.To.OrganizationSettings(org.ID))
		for range 10 {
			if postInvitation(ocl, org, apptest.UniqueEmail("team")).StatusCode != http.StatusTooManyRequests {
				sent++
			}
		}
		if i == 2 && sent != 30 {
			t.Fatalf("the organization sent %d invitations, want 30", sent)
		}
	}
}

// pendingInvitations are the invitations the settings page lists.
func pendingInvitations(ctx context.Context, idb bun.IDB, orgID uuid.UUID) ([]organizations.Invitation, error) {
	d, err := organizations.Settings(ctx, idb, orgID)
	if err != nil {
		return nil, err
	}
	return d.Invitations, nil
}
