package accounts_test

import (
	"context"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/apptest"
)

func TestSignInRefusals(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	confirmed := apptest.UniqueEmail("ok")
	createUser(t, h, confirmed, goodPassword, "confirmed")
	registered := apptest.UniqueEmail("registered")
	createUser(t, h, registered, goodPassword, "registered")
	disabled := apptest.UniqueEmail("disabled")
	createUser(t, h, disabled, goodPassword, "disabled")

	tests := []struct {
		name, email, password, alert string
		fieldErrors                  int
	}{
		{"empty", "", "", "", 2},
		{"unknown email", apptest.UniqueEmail("nobody"), goodPassword, "est incorrect", 0},
		{"wrong password", confirmed, "Wrong-Password-1", "est incorrect", 0},
		{"unconfirmed", registered, goodPassword, "pas encore confirmé", 0},
		{"disabled", disabled, goodPassword, "a été désactivé", 0},
		{"unconfirmed with a wrong password says nothing more", registered, "Wrong-Password-1", "est incorrect", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := signIn(t, newClient(h), tt.email, tt.password)
			expectStatus(t, r, 422)
			if !strings.Contains(r.Text("#form-alert"), tt.alert) {
				t.Errorf("alert %q, want %q", r.Text("#form-alert"), tt.alert)
			}
			if n := r.Doc.Find(".fr-message--error").Length(); n != tt.fieldErrors {
				t.Errorf("%d field errors, want %d", n, tt.fieldErrors)
			}
			if tt.fieldErrors > 0 {
				r.ErrorSummary(t, "sign-in-email", "sign-in-password")
			} else if r.Doc.Find("[data-error-summary]").Length() != 0 {
				t.Error("a summary without field errors")
			}
		})
	}
}

func TestSignInFollowsOnlySameOriginCallbacks(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	email := apptest.UniqueEmail("callback")
	createUser(t, h, email, goodPassword, "confirmed")
	for callback, want := range map[string]string{
		"/account/settings":    "/account/settings",
		"https://evil.example": "/dashboard",
		"//evil.example/x":     "/dashboard",
		"":                     "/dashboard",
	} {
		cl := newClient(h)
		r := cl.Get("/auth/sign-in?callbackUrl=" + url.QueryEscape(callback))
		if got, _ := r.Doc.Find(`input[name="callbackUrl"]`).Attr("value"); got != strings.TrimPrefix(want, "/dashboard") {
			t.Errorf("callback %q kept as %q", callback, got)
		}
		r = cl.PostForm("/auth/sign-in", url.Values{"email": {email}, "password": {goodPassword}, "callbackUrl": {callback}})
		if r.StatusCode != 303 || r.Header.Get("Location") != want {
			t.Errorf("callback %q: %d to %q, want %q", callback, r.StatusCode, r.Header.Get("Location"), want)
		}
	}
	// A protected page sends anonymous visitors to sign in and back.
	r := newClient(h).Get("/account/settings")
	if r.StatusCode != 303 || r.Header.Get("Location") != "/auth/sign-in?callbackUrl=%2Faccount%2Fsettings" {
		t.Fatalf("%d %s", r.StatusCode, r.Header.Get("Location"))
	}
}

func TestTenFailuresLockTheAccount(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	ctx := context.Background()
	email := apptest.UniqueEmail("lock")
	id := createUser(t, h, email, goodPassword, "confirmed")

	// Nine failures, a success resets the count.
	cl := newClient(h)
	for range 9 {
		expectStatus(t, signIn(t, cl, email, "Wrong-Password-1"), 422)
	}
	expectStatus(t, signIn(t, newClient(h), email, goodPassword), 303)

	for i := range 10 {
		r := signIn(t, newClient(h), email, "Wrong-Password-1")
		expectStatus(t, r, 422)
		if locked := strings.Contains(r.Text("#form-alert"), "verrouillé"); locked != (i == 9) {
			t.Fatalf("attempt %d: %q", i+1, r.Text("#form-alert"))
		}
	}
	r := signIn(t, newClient(h), email, goodPassword)
	expectStatus(t, r, 422)
	if !strings.Contains(r.Text("#form-alert"), "verrouillé jusqu’à") {
		t.Fatalf("right password while locked: %q", r.Text("#form-alert"))
	}
	var minutes float64
	if err := h.DB.QueryRowContext(ctx, `SELECT extract(epoch FROM locked_until - now()) / 60 FROM sign_in_failures
		WHERE email_hash = sha256(convert_to(lower(?), 'UTF8'))`, email).
		Scan(&minutes); err != nil || minutes < 14 || minutes > 15.1 {
		t.Fatalf("locked for %v minutes (%v)", minutes, err)
	}
	audits := map[string]int{}
	rows, err := h.DB.QueryContext(ctx, `SELECT action, count(*) FROM audit_log WHERE subject_user_id = ? GROUP BY action`, id)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var a string
		var n int
		_ = rows.Scan(&a, &n)
		audits[a] = n
	}
	_ = rows.Close()
	if audits["account_locked"] != 1 || audits["sign_in"] != 1 || audits["sign_in_failed"] != 20 {
		t.Fatalf("audit %v", audits)
	}

	// Once the lock is over, the password works again.
	if _, err := h.DB.ExecContext(ctx, `UPDATE sign_in_failures SET locked_until = now() - interval '1 second'
		WHERE email_hash = sha256(convert_to(lower(?), 'UTF8'))`, email); err != nil {
		t.Fatal(err)
	}
	expectStatus(t, signIn(t, newClient(h), email, goodPassword), 303)
}

// An address without an account locks like one with an account, with the
// same messages at the same attempts, so the lockout does not tell which
// addresses have an account (decision P4, docs/decisions.md).
func TestLockoutAnswersTheSameForUnknownAddresses(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	known := apptest.UniqueEmail("lock-known")
	createUser(t, h, known, goodPassword, "confirmed")
	unknown := apptest.UniqueEmail("lock-unknown")
	answers := func(email string) []string {
		var got []string
		for range accounts.MaxFailedSignIns + 1 {
			r := signIn(t, newClient(h), email, "Wrong-Password-1")
			expectStatus(t, r, 422)
			// The lock's time is the only part allowed to differ.
			got = append(got, lockTimeRE.ReplaceAllString(r.Text("#form-alert"), "HH:MM"))
		}
		return got
	}
	k, u := answers(known), answers(strings.ToUpper(unknown))
	if !slices.Equal(k, u) {
		t.Fatalf("known address:\n%q\nunknown address:\n%q", k, u)
	}
	if !strings.Contains(u[accounts.MaxFailedSignIns-1], "verrouillé") || !strings.Contains(u[accounts.MaxFailedSignIns], "verrouillé") {
		t.Fatalf("the unknown address was not locked: %q", u)
	}
	var stored int
	if err := h.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM sign_in_failures
		WHERE email_hash = sha256(convert_to(lower(?), 'UTF8')) AND locked_until > now()`, unknown).Scan(&stored); err != nil || stored != 1 {
		t.Fatalf("%d locks stored for the unknown address (%v)", stored, err)
	}
}

var lockTimeRE = regexp.MustCompile(`\d{1,2}:\d{2}`)

// A stranger typing wrong passwords cannot keep a user out: "mot de passe
// oublié" still works while the account is locked, and the reset lifts the
// lock.
func TestForgottenPasswordUnlocksTheAccount(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	email := apptest.UniqueEmail("lock-reset")
	createUser(t, h, email, goodPassword, "confirmed")
	for range accounts.MaxFailedSignIns {
		signIn(t, newClient(h), email, "Wrong-Password-1")
	}
	if r := signIn(t, newClient(h), email, goodPassword); !strings.Contains(r.Text("#form-alert"), "verrouillé") {
		t.Fatalf("not locked: %q", r.Text("#form-alert"))
	}
	cl := newClient(h)
	cl.Get("/auth/password/retrieve")
	expectStatus(t, cl.PostForm("/auth/password/retrieve", url.Values{"email": {email}}), 303)
	token := strings.TrimPrefix(pathOf(t, lastLink(t, h, email, "/auth/password/reset?token=")), "/auth/password/reset?token=")
	expectStatus(t, cl.PostForm("/auth/password/reset", url.Values{"token": {token}, "password": {"Brand-New-Pass-7"}}), 303)
	expectStatus(t, signIn(t, newClient(h), email, "Brand-New-Pass-7"), 303)
}

func TestRateLimitsAnswer429WithRetryAfter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	tests := []struct {
		name, page, path string
		form             func(i int) url.Values
		allowed          int
	}{
		{"sign-in per IP", "/auth/sign-in", "/auth/sign-in",
			func(i int) url.Values { return url.Values{"email": {apptest.UniqueEmail("rl")}} }, 30},
		{"sign-in per account", "/auth/sign-in", "/auth/sign-in",
			func(i int) url.Values { return url.Values{"email": {"same-account@example.org"}} }, 30},
		{"sign-up per IP", "/auth/sign-up", "/auth/sign-up", func(int) url.Values { return url.Values{} }, 10},
		{"forgotten password per account", "/auth/password/retrieve", "/auth/password/retrieve",
			func(int) url.Values { return url.Values{"email": {"retrieve-rl@example.org"}} }, 3},
		{"confirmation re-send per account", "/auth/sign-up/resend", "/auth/sign-up/resend",
			func(int) url.Values { return url.Values{"email": {"resend-rl@example.org"}} }, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			perAccount := strings.Contains(tt.name, "per account")
			cl := newClient(h)
			cl.Get(tt.page)
			for i := range tt.allowed {
				if perAccount {
					// Every attempt from another address: only the account counts.
					ip := cl.Header.Get("X-Forwarded-For")
					cl.Header.Set("X-Forwarded-For", ip[:strings.LastIndex(ip, ".")+1]+strconv.Itoa(i))
				}
				if r := cl.PostForm(tt.path, tt.form(i)); r.StatusCode == 429 {
					t.Fatalf("limited after %d attempts", i)
				}
			}
			r := cl.PostForm(tt.path, tt.form(tt.allowed))
			expectStatus(t, r, 429)
			secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
			if err != nil || secs < 1 || secs > 3600 {
				t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
			}
			if !strings.Contains(r.Text("#error-message"), "trop de tentatives") {
				t.Fatalf("message %q", r.Text("#error-message"))
			}
		})
	}
}

func TestPostsWithoutCSRFTokenAreRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	email := apptest.UniqueEmail("csrf")
	createUser(t, h, email, goodPassword, "confirmed")
	for _, path := range []string{"/auth/sign-in", "/auth/sign-up", "/auth/password/retrieve", "/account/settings/password", "/account/delete"} {
		cl := newClient(h)
		cl.Get("/auth/sign-in")
		r := cl.PostForm(path, url.Values{"_csrf": {""}, "email": {email}, "password": {goodPassword}})
		expectStatus(t, r, 403)
	}
	cl := newClient(h)
	expectStatus(t, signIn(t, cl, email, goodPassword), 303)
	r := cl.PostForm("/auth/sign-out", url.Values{"_csrf": {"forged"}})
	expectStatus(t, r, 403)
	expectStatus(t, cl.Get("/account/settings"), 200)
}
