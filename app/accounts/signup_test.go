package accounts_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/mail/mailtest"
)

func TestSignUpConfirmSignInThroughEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cl := newClient(h)
	email := apptest.UniqueEmail("signup")

	r := cl.Get("/authentification/inscription")
	expectStatus(t, r, 200)
	if r.Doc.Find(`input[data-password-rules="sign-up-password-rules"]`).Length() != 1 ||
		r.Doc.Find(`#sign-up-password-rules [data-rule]`).Length() != 4 {
		t.Fatal("the live password rules are missing")
	}
	r = cl.PostForm("/auth/sign-up", url.Values{"firstName": {"Jeanne"}, "lastName": {"Moreau"},
		"email": {strings.ToUpper(email)}, "password": {goodPassword}, "termsAccepted": {"on"}})
	expectStatus(t, r, 303)
	if loc := r.Header.Get("Location"); loc != "/auth/sign-up/sent" {
		t.Fatalf("redirect to %q", loc)
	}
	r = cl.Get("/auth/sign-up/sent")
	if !strings.Contains(r.Text("#sign-up-sent"), strings.ToUpper(email)) {
		t.Fatalf("sent page: %q", r.Text("#sign-up-sent"))
	}

	// Not confirmed yet: refused.
	r = signIn(t, cl, email, goodPassword)
	expectStatus(t, r, 422)
	if !strings.Contains(r.Text("#form-alert"), "pas encore confirmé") {
		t.Fatalf("alert %q", r.Text("#form-alert"))
	}

	h.DeliverMails()
	m := mailtest.WaitFor(t, h.Catcher, mailtest.To(strings.ToUpper(email)), 5*time.Second)
	if m.Subject != "Inscription en attente de confirmation" {
		t.Fatalf("subject %q", m.Subject)
	}
	var confirm string
	for _, l := range m.Links {
		if strings.Contains(l, "/auth/sign-in?token=") {
			confirm = l
		}
	}
	if confirm == "" {
		t.Fatalf("no confirmation link in %v", m.Links)
	}
	r = cl.Get(pathOf(t, confirm))
	expectStatus(t, r, 200)
	if !strings.Contains(r.Text("#form-alert"), "inscription est finalisée") {
		t.Fatalf("confirmation alert %q", r.Text("#form-alert"))
	}

	// Case-insensitive email, then the dashboard welcomes a user without organization.
	r = signIn(t, cl, email, goodPassword)
	expectStatus(t, r, 303)
	if loc := r.Header.Get("Location"); loc != "/dashboard" {
		t.Fatalf("redirect to %q", loc)
	}
	r = cl.Get("/dashboard")
	expectStatus(t, r, 200)
	if href, _ := r.Doc.Find(`#welcome a.fr-btn`).Attr("href"); href != "/dashboard/organization/create" ||
		!strings.Contains(r.Text("#welcome a.fr-btn"), "Créer une organisation") {
		t.Fatalf("welcome panel: %q %q", href, r.Text("#welcome"))
	}
	// Visitor-only pages send signed-in users to their dashboard.
	if r = cl.Get("/auth/sign-in"); r.StatusCode != 303 || r.Header.Get("Location") != "/dashboard" {
		t.Fatalf("sign-in page while signed in: %d %s", r.StatusCode, r.Header.Get("Location"))
	}

	// Sign out: the session is gone.
	r = cl.PostForm("/auth/sign-out", nil)
	expectStatus(t, r, 303)
	if r = cl.Get("/dashboard"); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/auth/sign-in") {
		t.Fatalf("dashboard after sign-out: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
}

func TestSignUpValidationMessages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tests := []struct {
		name   string
		form   url.Values
		errors map[string]string // element id → message part
		failed []string          // failing password rules
	}{
		{"empty", url.Values{}, map[string]string{
			"sign-up-first-name-message-error": "Ce champ est obligatoire.",
			"sign-up-last-name-message-error":  "Ce champ est obligatoire.",
			"sign-up-email-message-error":      "Ce champ est obligatoire.",
			"sign-up-password-message-error":   "Ce champ est obligatoire.",
			"sign-up-terms-message-error":      "Vous devez accepter les modalités d’utilisation",
		}, []string{"length", "case", "digit", "special"}},
		{"bad email and every password rule", url.Values{"firstName": {"A"}, "lastName": {"B"}, "email": {"not-an-email"},
			"password": {"short"}, "termsAccepted": {"on"}}, map[string]string{
			"sign-up-email-message-error":    "Saisissez une adresse électronique valide",
			"sign-up-password-message-error": "ne respecte pas toutes les règles",
		}, []string{"length", "case", "digit", "special"}},
		{"only the special character is missing", url.Values{"firstName": {"A"}, "lastName": {"B"}, "email": {"a@b.fr"},
			"password": {"Abcdefghijk1"}}, map[string]string{
			"sign-up-password-message-error": "ne respecte pas toutes les règles",
			"sign-up-terms-message-error":    "modalités d’utilisation",
		}, []string{"special"}},
		{"names too long", url.Values{"firstName": {strings.Repeat("é", 101)}, "lastName": {"B"}, "email": {"a@b.fr"},
			"password": {goodPassword}, "termsAccepted": {"on"}}, map[string]string{
			"sign-up-first-name-message-error": "trop long",
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl := newClient(h)
			cl.Get("/auth/sign-up")
			r := cl.PostForm("/auth/sign-up", tt.form)
			expectStatus(t, r, 422)
			for id, want := range tt.errors {
				if got := r.Text("#" + id); !strings.Contains(got, want) {
					t.Errorf("#%s = %q, want %q", id, got, want)
				}
			}
			// The same errors, in the form's order, in the summary at its top.
			var inError []string
			for _, id := range []string{"sign-up-first-name", "sign-up-last-name", "sign-up-email", "sign-up-password", "sign-up-terms"} {
				if _, bad := tt.errors[id+"-message-error"]; bad {
					inError = append(inError, id)
				}
			}
			r.ErrorSummary(t, inError...)
			if n := r.Doc.Find(".fr-message--error[id]").Length(); n != len(tt.errors) {
				t.Errorf("%d field errors, want %d", n, len(tt.errors))
			}
			if n := r.Doc.Find("#sign-up-password-rules .fr-message--error").Length(); n != len(tt.failed) {
				t.Errorf("%d failing rules shown, want %d", n, len(tt.failed))
			}
			for _, rule := range tt.failed {
				if r.Doc.Find(`#sign-up-password-rules .fr-message--error[data-rule="`+rule+`"]`).Length() != 1 {
					t.Errorf("rule %s not shown as failing", rule)
				}
			}
			// The input is kept, never the password.
			if v, _ := r.Doc.Find("#sign-up-email").Attr("value"); v != tt.form.Get("email") {
				t.Errorf("email kept as %q", v)
			}
			if _, set := r.Doc.Find("#sign-up-password").Attr("value"); set {
				t.Error("the password was sent back")
			}
		})
	}

	t.Run("htmx gets the form alone", func(t *testing.T) {
		cl := newClient(h)
		cl.Get("/auth/sign-up")
		r := cl.PostForm("/auth/sign-up", url.Values{}, "HX-Request", "true")
		expectStatus(t, r, 422)
		if r.Doc.Find("header").Length() != 0 || r.Doc.Find("form#sign-up-form").Length() != 1 {
			t.Fatal("expected the form fragment only")
		}
	})
}

func TestSignUpAnswersTheSameForAnExistingEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	email := apptest.UniqueEmail("existing")
	createUser(t, h, email, goodPassword, "confirmed")
	cl := newClient(h)
	cl.Get("/auth/sign-up")
	r := cl.PostForm("/auth/sign-up", url.Values{"firstName": {"X"}, "lastName": {"Y"}, "email": {strings.ToUpper(email)},
		"password": {"Another-Password-1"}, "termsAccepted": {"on"}})
	expectStatus(t, r, 303)
	if r.Header.Get("Location") != "/auth/sign-up/sent" {
		t.Fatalf("redirect %q", r.Header.Get("Location"))
	}
	if n := countEmails(t, h, email, "Inscription en attente de confirmation"); n != 0 {
		t.Fatalf("%d confirmation emails to a confirmed account", n)
	}
	// The owner learns that nothing was created and how to get in.
	if n := countEmails(t, h, email, "Vous avez déjà un compte"); n != 1 {
		t.Fatalf("%d account-exists emails", n)
	}
	// The existing password still works, the new one does not.
	expectStatus(t, signIn(t, newClient(h), email, "Another-Password-1"), 422)
	expectStatus(t, signIn(t, newClient(h), email, goodPassword), 303)
}

func TestConfirmationTokenExpiresResendsAndIsSingleUse(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	cl := newClient(h)
	email := apptest.UniqueEmail("token")
	cl.Get("/auth/sign-up")
	expectStatus(t, cl.PostForm("/auth/sign-up", url.Values{"firstName": {"A"}, "lastName": {"B"}, "email": {email},
		"password": {goodPassword}, "termsAccepted": {"on"}}), 303)
	first := pathOf(t, lastLink(t, h, email, "/auth/sign-in?token="))

	// 14 days of validity.
	var days float64
	if err := h.DB.QueryRowContext(ctx, `SELECT extract(epoch FROM expires_at - created_at) / 86400 FROM verification_tokens
		WHERE user_id = (SELECT id FROM users WHERE email = ?)`, email).Scan(&days); err != nil || days < 13.99 || days > 14.01 {
		t.Fatalf("token validity %v days (%v)", days, err)
	}
	if _, err := h.DB.ExecContext(ctx, `UPDATE verification_tokens SET expires_at = now() - interval '1 second'
		WHERE user_id = (SELECT id FROM users WHERE email = ?)`, email); err != nil {
		t.Fatal(err)
	}
	r := cl.Get(first)
	if !strings.Contains(r.Text("#form-alert"), "a expiré") {
		t.Fatalf("expired token: %q", r.Text("#form-alert"))
	}

	// Re-send, then the new link confirms once.
	cl.Get("/auth/sign-up/resend")
	r = cl.PostForm("/auth/sign-up/resend", url.Values{"email": {email}})
	expectStatus(t, r, 303)
	second := pathOf(t, lastLink(t, h, email, "/auth/sign-in?token="))
	if second == first {
		t.Fatal("the same token was sent again")
	}
	if r = cl.Get(second); !strings.Contains(r.Text("#form-alert"), "finalisée") {
		t.Fatalf("confirmation: %q", r.Text("#form-alert"))
	}
	if r = cl.Get(second); !strings.Contains(r.Text("#form-alert"), "déjà été utilisé") {
		t.Fatalf("reuse: %q", r.Text("#form-alert"))
	}
	// A confirmed account gets no more confirmation emails.
	before := countEmails(t, h, email, "Inscription en attente de confirmation")
	cl.Get("/auth/sign-up/resend")
	expectStatus(t, cl.PostForm("/auth/sign-up/resend", url.Values{"email": {email}}), 303)
	if after := countEmails(t, h, email, "Inscription en attente de confirmation"); after != before {
		t.Fatal("a confirmed account got a confirmation email")
	}
	expectStatus(t, signIn(t, cl, email, goodPassword), 303)
}

// The confirmation link works in a browser where someone is signed in: the
// account is confirmed, then the signed-in user goes to their dashboard.
func TestConfirmationLinkWhileSignedIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	signedIn := apptest.UniqueEmail("signed-in")
	createUser(t, h, signedIn, goodPassword, "confirmed")
	cl := newClient(h)
	expectStatus(t, signIn(t, cl, signedIn, goodPassword), 303)

	email := apptest.UniqueEmail("confirm-elsewhere")
	anon := newClient(h)
	anon.Get("/auth/sign-up")
	expectStatus(t, anon.PostForm("/auth/sign-up", url.Values{"firstName": {"Jeanne"}, "lastName": {"Moreau"},
		"email": {email}, "password": {goodPassword}, "termsAccepted": {"on"}}), 303)

	r := cl.Get(pathOf(t, lastLink(t, h, email, "/auth/sign-in?token=")))
	if expectStatus(t, r, 303); r.Header.Get("Location") != "/dashboard" {
		t.Fatalf("redirect %q", r.Header.Get("Location"))
	}
	if !strings.Contains(cl.Get("/dashboard").Text(".fr-alert"), "inscription est finalisée") {
		t.Fatal("no confirmation message on the dashboard")
	}
	expectStatus(t, signIn(t, newClient(h), email, goodPassword), 303)
}

// The invitation link sends new people to the sign-up page with the invited
// address, which the form pre-fills (and escapes).
func TestSignUpPrefillsTheInvitedEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	email := apptest.UniqueEmail("invited")
	for _, tt := range []struct{ query, want string }{
		{"?email=" + url.QueryEscape(email), email},
		{"?email=" + url.QueryEscape(` "><b>x@example.org `), `"><b>x@example.org`},
		{"", ""},
	} {
		r := newClient(h).Get("/auth/sign-up" + tt.query)
		expectStatus(t, r, 200)
		if got, _ := r.Doc.Find("#sign-up-email").Attr("value"); got != tt.want {
			t.Errorf("%q: email pre-filled with %q, want %q", tt.query, got, tt.want)
		}
		if r.Doc.Find("main b").Length() != 0 {
			t.Errorf("%q: the address was not escaped", tt.query)
		}
	}
}
