package accounts

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/google/uuid"
	"github.com/markbates/goth"
	"github.com/uptrace/bun"
	"golang.org/x/oauth2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/token"
	"assistant-declaration/app/users"
	"assistant-declaration/config"
)

// ProConnect is the optional OpenID Connect sign-in (decision P10, docs/decisions.md), a
// goth.Provider named "proconnect" built on go-oidc because goth's generic
// OpenID Connect provider does not meet ProConnect's requirements: it sends
// no nonce, does not verify the id_token signature and cannot read the
// signed JWT ProConnect answers on userinfo.
type ProConnect struct {
	name          string
	issuer        string
	clientID      string
	clientSecret  string
	redirectURL   string
	postLogoutURL string
	client        *http.Client
	logger        *slog.Logger

	// Discovery is lazy and retried until it works, so an unreachable
	// ProConnect never prevents the application from starting.
	mu         sync.Mutex
	provider   *oidc.Provider
	endSession string
}

var _ goth.Provider = (*ProConnect)(nil)

// NewProConnect returns the provider when the configuration enables it, nil
// otherwise.
func NewProConnect(cfg *config.Config, logger *slog.Logger) *ProConnect {
	if !cfg.ProConnectEnabled() {
		return nil
	}
	return &ProConnect{
		name:          "proconnect",
		issuer:        strings.TrimSuffix(strings.TrimRight(cfg.ProConnectDiscoveryURL, "/"), "/.well-known/openid-configuration"),
		clientID:      cfg.ProConnectClientID,
		clientSecret:  cfg.ProConnectClientSecret,
		redirectURL:   cfg.BaseURL + paths.To.ProConnectCallback(),
		postLogoutURL: cfg.BaseURL + paths.To.ProConnectSignedOut(),
		client:        &http.Client{Timeout: 10 * time.Second},
		logger:        logger,
	}
}

// discover fetches (once) the provider's configuration and keys.
func (p *ProConnect) discover() (*oidc.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.provider != nil {
		return p.provider, nil
	}
	// The provider keeps this context to fetch keys later: it must carry the
	// client, not a request's deadline.
	provider, err := oidc.NewProvider(p.ctx(), p.issuer)
	if err != nil {
		return nil, fmt.Errorf("proconnect: discovery: %w", err)
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := provider.Claims(&meta); err != nil {
		return nil, fmt.Errorf("proconnect: discovery: %w", err)
	}
	p.provider, p.endSession = provider, meta.EndSession
	return provider, nil
}

func (p *ProConnect) ctx() context.Context { return oidc.ClientContext(context.Background(), p.client) }

func (p *ProConnect) oauth2Config(provider *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: p.clientID, ClientSecret: p.clientSecret, RedirectURL: p.redirectURL,
		Endpoint: provider.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "email", "given_name", "usual_name"}}
}

// Name is the goth provider name.
func (p *ProConnect) Name() string { return p.name }

// SetName renames the provider (goth.Provider).
func (p *ProConnect) SetName(name string) { p.name = name }

// Debug is part of goth.Provider; there is nothing more to log.
func (p *ProConnect) Debug(bool) {}

// RefreshTokenAvailable is false: the session is ours, ProConnect is only
// asked who the user is.
func (p *ProConnect) RefreshTokenAvailable() bool { return false }

// RefreshToken is not supported (see RefreshTokenAvailable).
func (p *ProConnect) RefreshToken(string) (*oauth2.Token, error) {
	return nil, errors.New("proconnect: refresh tokens are not used")
}

// BeginAuth starts an authorization with state and a fresh nonce, both kept
// in the returned session (stored in the user's session by the caller).
// Only the parameters ProConnect documents are sent (no PKCE); token.New's
// 43 characters meet its minimum of 32 for the state and the nonce.
func (p *ProConnect) BeginAuth(state string) (goth.Session, error) {
	return p.beginAuth(state, false)
}

// beginAuth is BeginAuth; reauthenticate adds prompt=login, so ProConnect
// asks the person for their credentials even when its own session would let
// them through.
func (p *ProConnect) beginAuth(state string, reauthenticate bool) (_ goth.Session, err error) {
	defer derrors.Wrap(&err, "accounts: begin ProConnect authentication")
	provider, err := p.discover()
	if err != nil {
		return nil, err
	}
	s := &proConnectSession{State: state, Nonce: token.New()}
	opts := []oauth2.AuthCodeOption{oidc.Nonce(s.Nonce)}
	if reauthenticate {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", "login"))
	}
	s.AuthURL = p.oauth2Config(provider).AuthCodeURL(state, opts...)
	return s, nil
}

// UnmarshalSession reads a session written by Marshal.
func (p *ProConnect) UnmarshalSession(data string) (_ goth.Session, err error) {
	defer derrors.Wrap(&err, "accounts: read the ProConnect session")
	s := new(proConnectSession)
	err = json.Unmarshal([]byte(data), s)
	return s, err
}

// FetchUser reads the signed userinfo of an authorized session (go-oidc
// verifies the application/jwt signature with the provider's keys).
func (p *ProConnect) FetchUser(gs goth.Session) (_ goth.User, err error) {
	defer derrors.Wrap(&err, "accounts: fetch the ProConnect user")
	s, ok := gs.(*proConnectSession)
	if !ok || s.AccessToken == "" {
		return goth.User{}, errors.New("proconnect: session not authorized")
	}
	provider, err := p.discover()
	if err != nil {
		return goth.User{}, err
	}
	ctx, cancel := context.WithTimeout(p.ctx(), 15*time.Second)
	defer cancel()
	info, err := provider.UserInfo(ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: s.AccessToken, TokenType: "Bearer"}))
	if err != nil {
		return goth.User{}, fmt.Errorf("userinfo: %w", err)
	}
	if info.Subject != s.Subject {
		return goth.User{}, errors.New("proconnect: userinfo is about another subject")
	}
	var claims struct {
		GivenName string `json:"given_name"`
		UsualName string `json:"usual_name"`
	}
	if err := info.Claims(&claims); err != nil {
		return goth.User{}, err
	}
	return goth.User{Provider: p.name, UserID: info.Subject, Email: info.Email, FirstName: claims.GivenName,
		LastName: claims.UsualName, IDToken: s.IDToken}, nil
}

// logoutURL is ProConnect's end-session URL for an id_token, with the state
// to check when ProConnect sends the browser back; "" without an id_token
// (the user did not come through ProConnect: no discovery for them).
func (p *ProConnect) logoutURL(idToken, state string) string {
	if idToken == "" {
		return ""
	}
	if _, err := p.discover(); err != nil || p.endSession == "" {
		return ""
	}
	q := url.Values{"id_token_hint": {idToken}, "state": {state}, "post_logout_redirect_uri": {p.postLogoutURL}}
	return p.endSession + "?" + q.Encode()
}

// proConnectSession is the goth session: what ties the redirect to
// ProConnect to the callback, then the tokens obtained.
type proConnectSession struct {
	AuthURL     string `json:"auth_url"`
	State       string `json:"state"`
	Nonce       string `json:"nonce"`
	AccessToken string `json:"access_token,omitempty"`
	IDToken     string `json:"id_token,omitempty"`
	Subject     string `json:"sub,omitempty"`
}

// GetAuthURL is where the browser goes to sign in.
func (s *proConnectSession) GetAuthURL() (string, error) { return s.AuthURL, nil }

// Marshal serializes the session for the user's session storage.
func (s *proConnectSession) Marshal() string {
	b, _ := json.Marshal(s)
	return string(b)
}

// Authorize exchanges the code, then verifies the id_token: signature,
// issuer, audience and expiry (go-oidc) and the nonce (ours: go-oidc leaves
// it to the caller).
func (s *proConnectSession) Authorize(gp goth.Provider, params goth.Params) (_ string, err error) {
	defer derrors.Wrap(&err, "accounts: authorize with ProConnect")
	p, ok := gp.(*ProConnect)
	if !ok {
		return "", errors.New("proconnect: wrong provider")
	}
	provider, err := p.discover()
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(p.ctx(), 15*time.Second)
	defer cancel()
	token, err := p.oauth2Config(provider).Exchange(ctx, params.Get("code"))
	if err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	raw, _ := token.Extra("id_token").(string)
	if raw == "" {
		return "", errors.New("proconnect: no id_token")
	}
	idToken, err := provider.Verifier(&oidc.Config{ClientID: p.clientID}).Verify(ctx, raw)
	if err != nil {
		return "", fmt.Errorf("id_token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(s.Nonce)) != 1 {
		return "", errors.New("proconnect: id_token nonce mismatch")
	}
	s.AccessToken, s.IDToken, s.Subject = token.AccessToken, raw, idToken.Subject
	return token.AccessToken, nil
}

// ProConnectIdentity is who ProConnect vouched for.
type ProConnectIdentity struct {
	Subject, Email, FirstName, LastName string
}

// SignInWithProConnect returns the account of a person ProConnect vouched
// for. The account already linked to their subject comes first, whatever its
// address now is at their identity provider. Otherwise the account with the
// same email is linked, or an account without password is created; either
// way the email counts as proved. A disabled account stays refused.
func (s *Service) SignInWithProConnect(ctx context.Context, id ProConnectIdentity) (_ *users.User, err error) {
	email := users.NormalizeEmail(id.Email)
	if !users.ValidEmail(email) {
		return nil, fmt.Errorf("%w from proconnect: %q", ErrInvalidEmail, email)
	}
	if id.Subject == "" {
		return nil, errors.New("accounts: proconnect identity without subject")
	}
	defer derrors.Wrap(&err, "accounts: sign in with proconnect %s", id.Subject)
	var u *users.User
	err = s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) (err error) {
		if u, err = users.LockByProConnectSubject(ctx, tx, id.Subject); err != nil || u != nil {
			return err
		}
		// Created registered so that proveEmail below treats it like a linked
		// one; an address already taken keeps its account.
		_, err = users.Register(ctx, tx, email, truncate(id.FirstName, maxNameLength), truncate(id.LastName, maxNameLength), "")
		if err != nil {
			return err
		}
		if u, err = users.LockByEmail(ctx, tx, email); err != nil {
			return err
		}
		if u == nil {
			return fmt.Errorf("users: %q neither registered nor found", email)
		}
		// The latest subject seen for this address: a person whose identity
		// provider changed keeps their account.
		if err := users.LinkProConnect(ctx, tx, u.ID, id.Subject); err != nil {
			return err
		}
		if u.Status != users.StatusRegistered {
			return nil
		}
		// Whoever signed up with this address without confirming it may not be
		// the person ProConnect vouches for: their password must not keep
		// opening the account.
		if err := users.ClearPassword(ctx, tx, u.ID); err != nil {
			return err
		}
		if _, err := proveEmail(ctx, tx, u.ID); err != nil {
			return err
		}
		u.Status = users.StatusConfirmed
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.signedIn(ctx, u)
}

// IsProConnectSubject reports whether ProConnect's subject is the one linked
// to userID (a reauthentication must be by the account's own person).
func (s *Service) IsProConnectSubject(ctx context.Context, userID uuid.UUID, subject string) (_ bool, err error) {
	defer derrors.Wrap(&err, "accounts: check the ProConnect subject of %s", userID)
	return users.HasProConnectSubject(ctx, s.db, userID, subject)
}
