package accounts_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/organizations/orgtest"
)

func TestForgottenPasswordAndReset(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	email := apptest.UniqueEmail("reset")
	id := createUser(t, h, email, goodPassword, "confirmed")
	other := newClient(h)
	expectStatus(t, signIn(t, other, email, goodPassword), 303)

	// The same answer for a known and an unknown address (decision P2, docs/decisions.md).
	answers := map[string]string{}
	for _, addr := range []string{strings.ToUpper(email), apptest.UniqueEmail("unknown")} {
		cl := newClient(h)
		cl.Get("/authentification/mot-de-passe/recuperer")
		r := cl.PostForm("/auth/password/retrieve", url.Values{"email": {addr}})
		expectStatus(t, r, 303)
		r = cl.Get(r.Header.Get("Location"))
		answers[addr] = r.Text(".fr-alert")
	}
	if len(answers) != 2 {
		t.Fatal("two answers expected")
	}
	var first string
	for _, a := range answers {
		if first == "" {
			first = a
		} else if a != first || !strings.Contains(a, "Si un compte correspond") {
			t.Fatalf("answers differ: %v", answers)
		}
	}

	// Invalid email.
	cl := newClient(h)
	cl.Get("/auth/password/retrieve")
	r := cl.PostForm("/auth/password/retrieve", url.Values{"email": {"nope"}})
	expectStatus(t, r, 422)
	if !strings.Contains(r.Text("#email-form-email-message-error"), "adresse électronique valide") {
		t.Fatalf("%q", r.Text("#email-form-email-message-error"))
	}

	link := pathOf(t, lastLink(t, h, email, "/auth/password/reset?token="))
	var minutes float64
	if err := h.DB.QueryRowContext(ctx, `SELECT extract(epoch FROM expires_at - created_at) / 60 FROM verification_tokens
		WHERE user_id = ? AND action = 'reset_password'`, id).Scan(&minutes); err != nil || minutes < 59.9 || minutes > 60.1 {
		t.Fatalf("reset token validity %v minutes (%v)", minutes, err)
	}
	r = cl.Get(link)
	expectStatus(t, r, 200)
	token, _ := r.Doc.Find(`input[name="token"]`).Attr("value")

	// Every validation message of the new password.
	for password, failed := range map[string]int{"": 4, "short": 4, "alllowercase-long-1": 1, "Abcdefghijkl": 2} {
		r = cl.PostForm("/auth/password/reset", url.Values{"token": {token}, "password": {password}})
		expectStatus(t, r, 422)
		msg := r.Text("#reset-password-message-error")
		if (password == "" && msg != "Ce champ est obligatoire.") || (password != "" && !strings.Contains(msg, "règles")) {
			t.Errorf("%q: message %q", password, msg)
		}
		if n := r.Doc.Find("#reset-password-rules .fr-message--error").Length(); n != failed {
			t.Errorf("%q: %d failing rules, want %d", password, n, failed)
		}
	}

	r = cl.PostForm("/auth/password/reset", url.Values{"token": {token}, "password": {"Brand-New-Pass-7"}})
	expectStatus(t, r, 303)
	if r.Header.Get("Location") != "/auth/sign-in" {
		t.Fatalf("redirect %q", r.Header.Get("Location"))
	}
	if !strings.Contains(cl.Get("/auth/sign-in").Text(".fr-alert"), "réinitialisé") {
		t.Fatal("no success message")
	}
	if n := countEmails(t, h, email, "Mot de passe réinitialisé"); n != 1 {
		t.Fatalf("%d reset emails", n)
	}
	if l := lastLink(t, h, email, "/auth/sign-in"); !strings.HasSuffix(l, "/auth/sign-in") {
		t.Fatalf("the reset email links to %q, not the plain sign-in page", l)
	}
	// Single use; sessions revoked; the new password works.
	r = cl.Get(link)
	if !strings.Contains(r.Text("#form-alert"), "déjà été utilisé") || r.Doc.Find(`input[name="token"]`).Length() != 0 {
		t.Fatalf("reused link: %q", r.Text("#form-alert"))
	}
	r = cl.PostForm("/auth/password/reset", url.Values{"token": {token}, "password": {"Another-New-Pass-7"}})
	expectStatus(t, r, 422)
	if r = other.Get("/account/settings"); r.StatusCode != 303 {
		t.Fatalf("the other session survived the reset: %d", r.StatusCode)
	}
	expectStatus(t, signIn(t, newClient(h), email, goodPassword), 422)
	expectStatus(t, signIn(t, newClient(h), email, "Brand-New-Pass-7"), 303)
}

func TestResetLinkExpiresAndNeedsAToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	email := apptest.UniqueEmail("expire")
	createUser(t, h, email, goodPassword, "confirmed")
	cl := newClient(h)
	cl.Get("/auth/password/retrieve")
	expectStatus(t, cl.PostForm("/auth/password/retrieve", url.Values{"email": {email}}), 303)
	link := pathOf(t, lastLink(t, h, email, "/auth/password/reset?token="))
	if _, err := h.DB.ExecContext(context.Background(), `UPDATE verification_tokens SET expires_at = now() - interval '1 second'
		WHERE user_id = (SELECT id FROM users WHERE email = ?)`, email); err != nil {
		t.Fatal(err)
	}
	r := cl.Get(link)
	if !strings.Contains(r.Text("#form-alert"), "a expiré") || r.Doc.Find(`input[name="token"]`).Length() != 0 {
		t.Fatalf("expired link: %q", r.Text("#form-alert"))
	}
	token := strings.TrimPrefix(link, "/auth/password/reset?token=")
	r = cl.PostForm("/auth/password/reset", url.Values{"token": {token}, "password": {"Brand-New-Pass-7"}})
	expectStatus(t, r, 422)
	if !strings.Contains(r.Text("#form-alert"), "a expiré") {
		t.Fatalf("expired post: %q", r.Text("#form-alert"))
	}
	if r = cl.Get("/authentification/mot-de-passe/reinitialiser"); !strings.Contains(r.Text("#form-alert"), "n’est pas valide") {
		t.Fatalf("no token: %q", r.Text("#form-alert"))
	}
}

// A reset link proves the address like the confirmation link: an unconfirmed
// account becomes confirmed; it joins no organization that invited it, whose
// invitation waits for its answer (decision P16, docs/decisions.md).
func TestResetConfirmsWithoutJoiningInvitingOrganizations(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	email := apptest.UniqueEmail("reset-registered")
	id := createUser(t, h, email, goodPassword, "registered")
	org := orgtest.Insert(t, h.DB, orgtest.Row{Name: "Compagnie Invitante"})
	if _, err := h.DB.ExecContext(ctx, `INSERT INTO organization_invitations (organization_id, email, token_hash, expires_at)
		VALUES (?, ?, ?, now() + interval '1 day')`, org.ID, strings.ToUpper(email), "hash-"+email); err != nil {
		t.Fatal(err)
	}

	cl := newClient(h)
	cl.Get("/auth/password/retrieve")
	expectStatus(t, cl.PostForm("/auth/password/retrieve", url.Values{"email": {email}}), 303)
	token := strings.TrimPrefix(pathOf(t, lastLink(t, h, email, "/auth/password/reset?token=")), "/auth/password/reset?token=")
	expectStatus(t, cl.PostForm("/auth/password/reset", url.Values{"token": {token}, "password": {"Brand-New-Pass-7"}}), 303)

	var status string
	var member bool
	if err := h.DB.QueryRowContext(ctx, `SELECT status, EXISTS (SELECT 1 FROM collaborators WHERE user_id = users.id AND organization_id = ?)
		FROM users WHERE id = ?`, org.ID, id).Scan(&status, &member); err != nil || status != "confirmed" || member {
		t.Fatalf("status %q, member %v (%v)", status, member, err)
	}
	expectStatus(t, signIn(t, newClient(h), email, "Brand-New-Pass-7"), 303)
}
