package accounts_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"assistant-declaration/app/apptest"
	"assistant-declaration/config"
)

// fakeProConnect is an OpenID Connect provider behaving like ProConnect:
// discovery, JWKS, token endpoint with an RS256 id_token, userinfo as a signed
// JWT, end-session endpoint. Its knobs let a test forge what it answers.
type fakeProConnect struct {
	*httptest.Server
	key    *rsa.PrivateKey
	forged *rsa.PrivateKey // a key the JWKS does not publish

	mu           sync.Mutex
	nonce        string // nonce to put in the next id_token
	forgeIDToken bool
	email        string
	subject      string
	discoveries  int
}

// answer sets the email of the next userinfo and the nonce of the next
// id_token, for a person whose subject follows from the email.
func (f *fakeProConnect) answer(email, nonce string) {
	f.answerAs("sub-"+email, email, nonce)
}

// answerAs is answer for a given subject (under the lock: the fake's
// handlers read them concurrently).
func (f *fakeProConnect) answerAs(subject, email, nonce string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.subject, f.email, f.nonce = subject, email, nonce
}

func newFakeProConnect(t *testing.T) *fakeProConnect {
	t.Helper()
	f := &fakeProConnect{}
	var err error
	if f.key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if f.forged, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v2/.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.discoveries++
		f.mu.Unlock()
		base := f.URL + "/api/v2"
		writeJSON(w, map[string]any{
			"issuer": base, "authorization_endpoint": base + "/authorize", "token_endpoint": base + "/token",
			"userinfo_endpoint": base + "/userinfo", "jwks_uri": base + "/jwks", "end_session_endpoint": base + "/session/end",
			"id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("GET /api/v2/jwks", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &f.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("POST /api/v2/token", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("code") != "the-code" {
			http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		key := f.key
		if f.forgeIDToken {
			key = f.forged
		}
		claims := map[string]any{"iss": f.URL + "/api/v2", "aud": "client-id", "sub": f.subject, "nonce": f.nonce,
			"iat": time.Now().Unix(), "exp": time.Now().Add(time.Minute).Unix()}
		f.mu.Unlock()
		writeJSON(w, map[string]any{"access_token": "the-access-token", "token_type": "Bearer", "expires_in": 60,
			"id_token": sign(t, key, claims)})
	})
	mux.HandleFunc("GET /api/v2/userinfo", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer the-access-token" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		f.mu.Lock()
		email, subject := f.email, f.subject
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/jwt")
		_, _ = w.Write([]byte(sign(t, f.key, map[string]any{"sub": subject, "email": email, "given_name": "Jean Paul",
			"usual_name": "Dupont", "siret": "12345678900011", "idp_id": "fia1"})))
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func sign(t *testing.T, key *rsa.PrivateKey, claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		t.Error(err)
		return ""
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		t.Error(err)
		return ""
	}
	s, _ := jws.CompactSerialize()
	return s
}

func proConnectHarness(t *testing.T, f *fakeProConnect) *apptest.Harness {
	return newHarness(t, func(c *config.Config) {
		c.ProConnectDiscoveryURL = f.URL + "/api/v2/.well-known/openid-configuration"
		c.ProConnectClientID = "client-id"
		c.ProConnectClientSecret = "client-secret"
	})
}

// beginProConnect follows the sign-in button and returns the authorize
// request's parameters.
func beginProConnect(t *testing.T, f *fakeProConnect, cl *apptest.Client) url.Values {
	t.Helper()
	r := cl.Get("/auth/sign-in")
	if !strings.Contains(r.Text("#proconnect"), "S’identifier avec") {
		t.Fatal("no ProConnect button")
	}
	r = cl.Get("/auth/proconnect?callbackUrl=%2Faccount%2Fsettings")
	expectStatus(t, r, 303)
	loc, err := url.Parse(r.Header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), f.URL+"/api/v2/authorize?") {
		t.Fatalf("authorize URL %q", r.Header.Get("Location"))
	}
	q := loc.Query()
	if len(q.Get("state")) < 32 || len(q.Get("nonce")) < 32 || q.Get("client_id") != "client-id" ||
		q.Get("response_type") != "code" || q.Get("code_challenge") != "" {
		t.Fatalf("authorize parameters %v", q)
	}
	return q
}

func TestProConnectSignInLinksOrCreatesTheAccountAndSignsOut(t *testing.T) {
	t.Parallel()
	f := newFakeProConnect(t)
	h := proConnectHarness(t, f)
	email := apptest.UniqueEmail("proconnect")
	// Someone signed up with the address but never confirmed it.
	existing := createUser(t, h, strings.ToUpper(email), goodPassword, "registered")

	cl := newClient(h)
	q := beginProConnect(t, f, cl)
	f.answer(email, q.Get("nonce"))
	r := cl.Get("/auth/proconnect/callback?code=the-code&state=" + url.QueryEscape(q.Get("state")))
	expectStatus(t, r, 303)
	if r.Header.Get("Location") != "/account/settings" {
		t.Fatalf("redirect %q", r.Header.Get("Location"))
	}
	var status string
	if err := h.DB.QueryRowContext(context.Background(), `SELECT status FROM users WHERE id = ?`, existing).Scan(&status); err != nil ||
		status != "confirmed" {
		t.Fatalf("linked account status %q (%v)", status, err)
	}
	// Their password does not open the account ProConnect vouched for.
	expectStatus(t, signIn(t, newClient(h), email, goodPassword), 422)
	// Without a password, the settings point to the reset page.
	r = cl.Get("/account/settings")
	expectStatus(t, r, 200)
	if href, _ := r.Doc.Find("#no-password a").Attr("href"); href != "/auth/password/retrieve" || r.Doc.Find("#password-form").Length() != 0 {
		t.Fatalf("password panel: %q", r.Text("#no-password"))
	}

	// Signing out goes through ProConnect's end-session endpoint.
	r = cl.PostForm("/auth/sign-out", nil)
	expectStatus(t, r, 303)
	logout, _ := url.Parse(r.Header.Get("Location"))
	lq := logout.Query()
	if !strings.HasPrefix(logout.String(), f.URL+"/api/v2/session/end?") || lq.Get("id_token_hint") == "" ||
		lq.Get("post_logout_redirect_uri") != h.Config.BaseURL+"/auth/proconnect/signed-out" || lq.Get("state") == "" {
		t.Fatalf("logout URL %q", logout)
	}
	expectStatus(t, cl.Get("/auth/proconnect/signed-out?state=wrong"), 404)
	r = cl.Get("/auth/proconnect/signed-out?state=" + url.QueryEscape(lq.Get("state")))
	expectStatus(t, r, 303)
	if r = cl.Get("/account/settings"); r.StatusCode != 303 {
		t.Fatal("still signed in after sign-out")
	}

	// A new email creates a confirmed account without password.
	newEmail := apptest.UniqueEmail("proconnect-new")
	cl = newClient(h)
	q = beginProConnect(t, f, cl)
	f.answer(newEmail, q.Get("nonce"))
	expectStatus(t, cl.Get("/auth/proconnect/callback?code=the-code&state="+url.QueryEscape(q.Get("state"))), 303)
	var first, last string
	if err := h.DB.QueryRowContext(context.Background(), `SELECT first_name, last_name, status FROM users WHERE email = ?`, newEmail).
		Scan(&first, &last, &status); err != nil || first != "Jean Paul" || last != "Dupont" || status != "confirmed" {
		t.Fatalf("created %q %q %q (%v)", first, last, status, err)
	}
}

// Once linked, the ProConnect subject finds the account even after the
// person's address changed at their identity provider.
func TestProConnectFindsTheLinkedAccountBySubject(t *testing.T) {
	t.Parallel()
	f := newFakeProConnect(t)
	h := proConnectHarness(t, f)
	email := apptest.UniqueEmail("pc-subject")
	account := createUser(t, h, email, goodPassword, "confirmed")
	subject := "sub-" + email

	cl := newClient(h)
	q := beginProConnect(t, f, cl)
	f.answerAs(subject, email, q.Get("nonce"))
	expectStatus(t, cl.Get("/auth/proconnect/callback?code=the-code&state="+url.QueryEscape(q.Get("state"))), 303)
	var linked string
	if err := h.DB.QueryRowContext(context.Background(), `SELECT coalesce(proconnect_sub, '') FROM users WHERE id = ?`, account).Scan(&linked); err != nil || linked != subject {
		t.Fatalf("linked subject %q (%v)", linked, err)
	}
	// A new address at the identity provider: same account, no new one.
	renamed := apptest.UniqueEmail("pc-renamed")
	cl = newClient(h)
	q = beginProConnect(t, f, cl)
	f.answerAs(subject, renamed, q.Get("nonce"))
	expectStatus(t, cl.Get("/auth/proconnect/callback?code=the-code&state="+url.QueryEscape(q.Get("state"))), 303)
	var n int
	_ = h.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM users WHERE email = ?`, renamed).Scan(&n)
	if n != 0 {
		t.Fatalf("a new account was created for the renamed address")
	}
	if r := cl.Get("/account/settings"); r.StatusCode != 200 || !strings.Contains(r.Body, email) {
		t.Fatalf("renamed person is not in their account: %d", r.StatusCode)
	}
}

func TestProConnectRefusesForgeriesAndReplays(t *testing.T) {
	t.Parallel()
	f := newFakeProConnect(t)
	h := proConnectHarness(t, f)
	email := apptest.UniqueEmail("forged")
	f.answer(email, "")
	tests := []struct {
		name   string
		setup  func(q url.Values) (state string)
		forged bool
	}{
		{"forged id_token signature", func(q url.Values) string { f.nonce = q.Get("nonce"); return q.Get("state") }, true},
		{"wrong nonce", func(q url.Values) string {
			f.nonce = "another-nonce-another-nonce-another-nonce"
			return q.Get("state")
		}, false},
		{"wrong state", func(q url.Values) string { f.nonce = q.Get("nonce"); return "forged-state" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl := newClient(h)
			q := beginProConnect(t, f, cl)
			f.mu.Lock()
			f.forgeIDToken = tt.forged
			state := tt.setup(q)
			f.mu.Unlock()
			r := cl.Get("/auth/proconnect/callback?code=the-code&state=" + url.QueryEscape(state))
			expectStatus(t, r, 303)
			if r.Header.Get("Location") != "/auth/sign-in" {
				t.Fatalf("redirect %q", r.Header.Get("Location"))
			}
			if !strings.Contains(cl.Get("/auth/sign-in").Text(".fr-alert"), "ProConnect a échoué") {
				t.Fatal("no failure message")
			}
			if r = cl.Get("/account/settings"); r.StatusCode != 303 {
				t.Fatal("signed in despite the failure")
			}
			// The state is single use: replaying the callback fails too.
			f.mu.Lock()
			f.forgeIDToken, f.nonce = false, q.Get("nonce")
			f.mu.Unlock()
			cl.Get("/auth/proconnect/callback?code=the-code&state=" + url.QueryEscape(q.Get("state")))
			if r = cl.Get("/account/settings"); r.StatusCode != 303 {
				t.Fatal("a replayed callback signed in")
			}
		})
	}
	var n int
	_ = h.DB.QueryRowContext(context.Background(), `SELECT count(*) FROM users WHERE email = ?`, email).Scan(&n)
	if n != 0 {
		t.Fatal("an account was created")
	}
}

func TestProConnectRefusesDisabledAccountsAndInvalidEmails(t *testing.T) {
	t.Parallel()
	f := newFakeProConnect(t)
	h := proConnectHarness(t, f)

	// A password user's sign-out does not ask ProConnect anything.
	email := apptest.UniqueEmail("pc-password")
	createUser(t, h, email, goodPassword, "confirmed")
	cl := newClient(h)
	expectStatus(t, signIn(t, cl, email, goodPassword), 303)
	cl.Get("/account/settings")
	r := cl.PostForm("/auth/sign-out", nil)
	if expectStatus(t, r, 303); r.Header.Get("Location") != "/auth/sign-in" {
		t.Fatalf("sign-out goes to %q", r.Header.Get("Location"))
	}
	f.mu.Lock()
	discoveries := f.discoveries
	f.mu.Unlock()
	if discoveries != 0 {
		t.Fatalf("%d ProConnect discoveries for a password user", discoveries)
	}

	// A disabled account is refused, and the refusal audited.
	disabled := apptest.UniqueEmail("pc-disabled")
	id := createUser(t, h, disabled, goodPassword, "disabled")
	cl = newClient(h)
	q := beginProConnect(t, f, cl)
	f.answer(disabled, q.Get("nonce"))
	r = cl.Get("/auth/proconnect/callback?code=the-code&state=" + url.QueryEscape(q.Get("state")))
	if expectStatus(t, r, 303); r.Header.Get("Location") != "/auth/sign-in" {
		t.Fatalf("redirect %q", r.Header.Get("Location"))
	}
	if !strings.Contains(cl.Get("/auth/sign-in").Text(".fr-alert"), "désactivé") {
		t.Fatal("no refusal message")
	}
	var method, reason string
	if err := h.DB.QueryRowContext(context.Background(), `SELECT details->>'method', details->>'reason' FROM audit_log
		WHERE action = 'sign_in_failed' AND subject_user_id = ?`, id).Scan(&method, &reason); err != nil ||
		method != "proconnect" || reason != "disabled" {
		t.Fatalf("audit: %q %q (%v)", method, reason, err)
	}

	// An address the application cannot use fails like any other ProConnect problem.
	cl = newClient(h)
	q = beginProConnect(t, f, cl)
	f.answer("not-an-email", q.Get("nonce"))
	r = cl.Get("/auth/proconnect/callback?code=the-code&state=" + url.QueryEscape(q.Get("state")))
	if expectStatus(t, r, 303); r.Header.Get("Location") != "/auth/sign-in" {
		t.Fatalf("redirect %q", r.Header.Get("Location"))
	}
	if !strings.Contains(cl.Get("/auth/sign-in").Text(".fr-alert"), "ProConnect a échoué") {
		t.Fatal("no failure message")
	}
}

func TestProConnectIsOffWithoutConfiguration(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cl := newClient(h)
	if cl.Get("/auth/sign-in").Doc.Find("#proconnect").Length() != 0 {
		t.Fatal("button shown")
	}
	expectStatus(t, cl.Get("/auth/proconnect"), 404)
}

// An account without password is deleted only after a fresh ProConnect
// sign-in (prompt=login) by the person linked to it.
func TestDeletingAnAccountWithoutPasswordAsksForProConnect(t *testing.T) {
	t.Parallel()
	f := newFakeProConnect(t)
	h := proConnectHarness(t, f)
	ctx := context.Background()
	email := apptest.UniqueEmail("pc-delete")
	id := createUser(t, h, email, goodPassword, "confirmed")
	cl := newClient(h)
	expectStatus(t, signIn(t, cl, email, goodPassword), 303)
	// Their session is not a ProConnect one; then they lost their password.
	if _, err := h.DB.ExecContext(ctx, `UPDATE users SET password_hash = NULL, proconnect_sub = ? WHERE id = ?`, "sub-"+email, id); err != nil {
		t.Fatal(err)
	}
	r := cl.Get("/account/delete")
	expectStatus(t, r, 200)
	if href, _ := r.Doc.Find(`a[href="/account/delete/proconnect"]`).Attr("href"); href == "" || r.Doc.Find("#delete-form").Length() != 0 {
		t.Fatalf("no ProConnect step: %q", r.Text("main"))
	}
	expectStatus(t, cl.PostForm("/account/delete", nil), 303)

	reauthenticate := func(subject string) *apptest.Response {
		t.Helper()
		r := cl.Get("/account/delete/proconnect")
		expectStatus(t, r, 303)
		loc, err := url.Parse(r.Header.Get("Location"))
		if err != nil || loc.Query().Get("prompt") != "login" {
			t.Fatalf("authorize URL %q", r.Header.Get("Location"))
		}
		f.answerAs(subject, email, loc.Query().Get("nonce"))
		return cl.Get("/auth/proconnect/callback?code=the-code&state=" + url.QueryEscape(loc.Query().Get("state")))
	}
	exists := func() bool {
		var ok bool
		if err := h.DB.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = ?)`, id).Scan(&ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}

	// Someone else at ProConnect proves nothing.
	r = reauthenticate("sub-someone-else")
	expectStatus(t, r, 303)
	if r = cl.Get(r.Header.Get("Location")); !strings.Contains(r.Text(".fr-alert"), "une autre personne") {
		t.Fatalf("mismatch: %q", r.Text(".fr-alert"))
	}
	expectStatus(t, cl.PostForm("/account/delete", nil), 303)
	if !exists() {
		t.Fatal("deleted after another person's ProConnect sign-in")
	}

	// The account's own person: the page now deletes without a password.
	r = reauthenticate("sub-" + email)
	expectStatus(t, r, 303)
	if r.Header.Get("Location") != "/account/delete" {
		t.Fatalf("back to %q", r.Header.Get("Location"))
	}
	if r = cl.Get("/account/delete"); r.Doc.Find("#delete-form").Length() != 1 || r.Doc.Find(`input[name="password"]`).Length() != 0 {
		t.Fatalf("deletion form after ProConnect: %q", r.Text("main"))
	}
	expectStatus(t, cl.PostForm("/account/delete", nil), 303)
	if exists() {
		t.Fatal("not deleted after a fresh ProConnect sign-in")
	}
}
