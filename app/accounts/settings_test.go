package accounts_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/organizations/orgtest"
)

func TestChangePasswordRevokesOtherSessions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	email := apptest.UniqueEmail("change")
	createUser(t, h, email, goodPassword, "confirmed")
	me, other := newClient(h), newClient(h)
	expectStatus(t, signIn(t, me, email, goodPassword), 303)
	expectStatus(t, signIn(t, other, email, goodPassword), 303)

	me.Get("/compte/parametres")
	r := me.PostForm("/account/settings/password", url.Values{"currentPassword": {"Wrong-Password-1"}, "newPassword": {"Brand-New-Pass-7"}})
	expectStatus(t, r, 422)
	if !strings.Contains(r.Text("#current-password-message-error"), "actuel est incorrect") {
		t.Fatalf("%q", r.Text("#current-password-message-error"))
	}
	r = me.PostForm("/account/settings/password", url.Values{"currentPassword": {goodPassword}, "newPassword": {"weak"}})
	expectStatus(t, r, 422)
	if r.Doc.Find("#new-password-rules .fr-message--error").Length() != 4 {
		t.Fatal("the failing rules are not all listed")
	}
	r = me.PostForm("/account/settings/password", url.Values{"currentPassword": {goodPassword}, "newPassword": {"Brand-New-Pass-7"}})
	expectStatus(t, r, 303)
	if !strings.Contains(me.Get("/account/settings").Text(".fr-alert"), "mis à jour") {
		t.Fatal("no confirmation")
	}
	if r = other.Get("/account/settings"); r.StatusCode != 303 {
		t.Fatalf("the other session survived: %d", r.StatusCode)
	}
	if n := countEmails(t, h, email, "Mot de passe mis à jour"); n != 1 {
		t.Fatalf("%d password-changed emails", n)
	}
	expectStatus(t, signIn(t, newClient(h), email, "Brand-New-Pass-7"), 303)
}

func TestEditProfile(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	id := h.CreateUser(apptest.UniqueEmail("profile"), false)
	cl := h.Client()
	cl.StartSession(id, time.Hour)
	r := cl.PostForm("/account/settings/profile", url.Values{"firstName": {""}, "lastName": {"Durand"}})
	expectStatus(t, r, 422)
	if r.Text("#profile-first-name-message-error") != "Ce champ est obligatoire." {
		t.Fatalf("%q", r.Text("#profile-first-name-message-error"))
	}
	if v, _ := r.Doc.Find("#profile-last-name").Attr("value"); v != "Durand" {
		t.Fatalf("last name kept as %q", v)
	}
	expectStatus(t, cl.PostForm("/account/settings/profile", url.Values{"firstName": {"Léa"}, "lastName": {"Durand"}}), 303)
	if r = cl.Get("/account/settings"); !strings.Contains(r.Text("header"), "Léa Durand") {
		t.Fatalf("header %q", r.Text("header"))
	}
}

// impersonate makes cl an admin session acting as target.
func impersonate(t *testing.T, h *apptest.Harness, cl *apptest.Client, target uuid.UUID) {
	t.Helper()
	admin := h.CreateUser(apptest.UniqueEmail("admin"), true)
	cl.StartSession(admin, time.Hour)
	if _, err := h.DB.ExecContext(context.Background(), `UPDATE sessions SET impersonated_user_id = ?, impersonation_reason = 'support',
		impersonation_expires_at = now() + interval '1 hour' WHERE user_id = ?`, target, admin); err != nil {
		t.Fatal(err)
	}
}

func TestPasswordChangeAndDeletionRefusedWhileImpersonating(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	email := apptest.UniqueEmail("target")
	target := createUser(t, h, email, goodPassword, "confirmed")
	cl := h.Client()
	impersonate(t, h, cl, target)

	r := cl.Get("/account/settings")
	expectStatus(t, r, 200)
	if r.Doc.Find("#password-form").Length() != 0 {
		t.Fatal("the password form is offered while impersonating")
	}
	expectStatus(t, cl.PostForm("/account/settings/password",
		url.Values{"currentPassword": {goodPassword}, "newPassword": {"Brand-New-Pass-7"}}), 403)
	expectStatus(t, cl.Get("/account/delete"), 403)
	r = cl.PostForm("/account/delete", nil)
	expectStatus(t, r, 403)
	if !strings.Contains(r.Text("#error-message"), "pas autorisée") {
		t.Fatalf("%q", r.Text("#error-message"))
	}
	var exists bool
	_ = h.DB.QueryRowContext(context.Background(), `SELECT EXISTS (SELECT 1 FROM users WHERE id = ?)`, target).Scan(&exists)
	if !exists {
		t.Fatal("the account was deleted")
	}
	expectStatus(t, signIn(t, newClient(h), email, goodPassword), 303)
}

func TestDashboardAndDeletion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	email := apptest.UniqueEmail("delete")
	me := createUser(t, h, email, goodPassword, "confirmed")
	colleague := h.CreateUser(apptest.UniqueEmail("colleague"), false)
	shared := orgtest.Insert(t, h.DB, orgtest.Row{Name: "Compagnie Partagée", Members: []uuid.UUID{me, colleague}}).ID
	alone := orgtest.Insert(t, h.DB, orgtest.Row{Name: "Théâtre Solitaire", Members: []uuid.UUID{me}}).ID

	cl := newClient(h)
	expectStatus(t, signIn(t, cl, email, goodPassword), 303)
	// With two organizations, the dashboard lists them (decision P15).
	r := cl.Get("/tableau-de-bord")
	expectStatus(t, r, 200)
	if href, _ := r.Doc.Find(`#organizations a[href="/dashboard/organization/` + alone.String() + `"]`).Attr("href"); href == "" ||
		!strings.Contains(r.Text("#organizations"), "Compagnie Partagée") {
		t.Fatalf("dashboard lists %q", r.Text("#organizations"))
	}

	r = cl.Get("/account/delete")
	expectStatus(t, r, 200)
	// Below the account settings, reached from the dashboard.
	if got := strings.Join(r.Breadcrumb(t), " > "); got != "Tableau de bord > Paramètres du compte > Supprimer mon compte" {
		t.Errorf("breadcrumb %q", got)
	}
	warning := r.Text("#sole-collaborator")
	if !strings.Contains(warning, "Théâtre Solitaire") || strings.Contains(warning, "Compagnie Partagée") {
		t.Fatalf("warning %q", warning)
	}
	// The password is asked for; a missing or wrong one deletes nothing.
	for password, want := range map[string]string{"": "Ce champ est obligatoire", "Wrong-Password-1": "mot de passe est incorrect"} {
		r = cl.PostForm("/account/delete", url.Values{"password": {password}})
		expectStatus(t, r, 422)
		if got := r.Text("#delete-password-message-error"); !strings.Contains(got, want) {
			t.Fatalf("password %q: %q", password, got)
		}
		r.ErrorSummary(t, "delete-password")
	}
	var still bool
	if err := h.DB.QueryRowContext(context.Background(), `SELECT EXISTS (SELECT 1 FROM users WHERE id = ?)`, me).Scan(&still); err != nil || !still {
		t.Fatalf("deleted without the password (%v)", err)
	}
	r = cl.PostForm("/account/delete", url.Values{"password": {goodPassword}})
	expectStatus(t, r, 303)
	if !strings.Contains(cl.Get("/").Text(".fr-alert"), "supprimé") {
		t.Fatal("no confirmation after deletion")
	}
	var users, orgs int
	_ = h.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM users WHERE id = ?`, me).Scan(&users)
	_ = h.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM organizations WHERE id IN (?, ?)`, shared, alone).Scan(&orgs)
	if users != 0 || orgs != 2 {
		t.Fatalf("users %d, organizations %d", users, orgs)
	}
	// The audit log keeps who left and which organizations they belonged to.
	var actor, subject, left string
	if err := h.DB.QueryRowContext(context.Background(), `SELECT actor_email, subject_email, details->>'organizations'
		FROM audit_log WHERE action = 'account_deleted' AND subject_user_id = ?`, me).Scan(&actor, &subject, &left); err != nil ||
		actor != email || subject != email || !strings.Contains(left, shared.String()) || !strings.Contains(left, alone.String()) {
		t.Fatalf("deletion audit: %q %q %q (%v)", actor, subject, left, err)
	}
	expectStatus(t, signIn(t, newClient(h), email, goodPassword), 422)
}
