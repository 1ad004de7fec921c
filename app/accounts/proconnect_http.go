package accounts

import (
	"crypto/subtle"
	"errors"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/token"
	"assistant-declaration/app/web"
)

// Session keys of the ProConnect flow.
const (
	pcStateKey       = "proconnect.state"
	pcSessionKey     = "proconnect.session"
	pcCallbackKey    = "proconnect.callbackUrl"
	pcIDTokenKey     = "proconnect.idToken"
	pcLogoutStateKey = "proconnect.logoutState"
	// pcReauthKey holds the id of the signed-in user who went to ProConnect
	// to prove again who they are; pcAuthenticatedAtKey when ProConnect last
	// vouched for the session's user (Unix seconds).
	pcReauthKey          = "proconnect.reauthenticate"
	pcAuthenticatedAtKey = "proconnect.authenticatedAt"
)

// ProConnectBegin sends the browser to ProConnect with a new state and nonce.
func (h *Handlers) ProConnectBegin(c *fiber.Ctx) error {
	return h.beginProConnect(c, c.Query("callbackUrl"), false)
}

// ProConnectReauthenticate sends a signed-in user to ProConnect to sign in
// again (ProConnect asks for their credentials even within its own session)
// before deleting their account, and back to the deletion page.
func (h *Handlers) ProConnectReauthenticate(c *fiber.Ctx) error {
	return h.beginProConnect(c, paths.To.AccountDelete(), true)
}

// beginProConnect starts an authorization that comes back to callbackURL; a
// reauthentication proves the signed-in user's presence instead of signing
// someone in.
func (h *Handlers) beginProConnect(c *fiber.Ctx, callbackURL string, reauthenticate bool) error {
	if h.proConnect == nil {
		return web.ErrNotFound
	}
	if err := h.limiter.check(c, hit{proConnectPerIP, c.IP()}); err != nil {
		return err
	}
	state := token.New()
	s, err := h.proConnect.beginAuth(state, reauthenticate)
	if err != nil {
		return h.proConnectFailed(c, err)
	}
	authURL, _ := s.GetAuthURL()
	web.SetSessionValue(c, pcStateKey, state)
	web.SetSessionValue(c, pcSessionKey, s.Marshal())
	web.SetSessionValue(c, pcCallbackKey, web.SafeRedirectPath(callbackURL, ""))
	reauth := ""
	if reauthenticate {
		reauth = web.CurrentUser(c).ID.String()
	}
	web.SetSessionValue(c, pcReauthKey, reauth)
	return c.Redirect(authURL, fiber.StatusSeeOther)
}

// ProConnectCallback completes the sign-in: state, code exchange, id_token
// signature and nonce, signed userinfo; then the account with that email is
// signed in (created, confirmed, when there is none).
func (h *Handlers) ProConnectCallback(c *fiber.Ctx) error {
	if h.proConnect == nil {
		return web.ErrNotFound
	}
	state, stored, callbackURL := c.Query("state"), web.SessionValue(c, pcStateKey), web.SessionValue(c, pcCallbackKey)
	data, reauth := web.SessionValue(c, pcSessionKey), web.SessionValue(c, pcReauthKey)
	// Single use, whatever the outcome.
	for _, k := range []string{pcStateKey, pcSessionKey, pcCallbackKey, pcReauthKey} {
		web.SetSessionValue(c, k, "")
	}
	if stored == "" || subtle.ConstantTimeCompare([]byte(state), []byte(stored)) != 1 {
		return h.proConnectFailed(c, errors.New("proconnect: state mismatch"))
	}
	if e := c.Query("error"); e != "" {
		return h.proConnectFailed(c, errors.New("proconnect: "+e+": "+c.Query("error_description")))
	}
	s, err := h.proConnect.UnmarshalSession(data)
	if err != nil {
		return h.proConnectFailed(c, err)
	}
	if _, err := s.Authorize(h.proConnect, url.Values{"code": {c.Query("code")}}); err != nil {
		return h.proConnectFailed(c, err)
	}
	user, err := h.proConnect.FetchUser(s)
	if err != nil {
		return h.proConnectFailed(c, err)
	}
	if reauth != "" {
		return h.proConnectReauthenticated(c, reauth, user.UserID, callbackURL)
	}
	a, err := h.svc.SignInWithProConnect(c.UserContext(), ProConnectIdentity{
		Subject: user.UserID, Email: user.Email, FirstName: user.FirstName, LastName: user.LastName})
	switch {
	case errors.Is(err, ErrInvalidEmail):
		return h.proConnectFailed(c, err)
	case errors.Is(err, ErrNotConfirmed):
		if err := h.record(c, audit.SignInFailed, a, a.Email, map[string]any{"method": "proconnect", "reason": a.Status}); err != nil {
			return err
		}
		web.AddFlash(c, "error", "accounts.signIn.disabled")
		return c.Redirect(paths.To.SignIn(), fiber.StatusSeeOther)
	case err != nil:
		return err
	}
	if err := h.mw.StartUserSession(c, a.ID, a.IsAdmin); err != nil {
		return err
	}
	web.SetSessionValue(c, pcIDTokenKey, user.IDToken)
	markProConnectAuthenticated(c)
	if err := h.record(c, audit.SignIn, a, a.Email, map[string]any{"method": "proconnect", "sub": user.UserID}); err != nil {
		return err
	}
	return c.Redirect(web.SafeRedirectPath(callbackURL, paths.To.Dashboard()), fiber.StatusSeeOther)
}

// proConnectReauthenticated ends a reauthentication started by the user
// whose id is reauth: ProConnect must have vouched for the person linked to
// that account, still the session's user, and the session then counts as
// freshly authenticated. Anyone else is sent back with an error.
func (h *Handlers) proConnectReauthenticated(c *fiber.Ctx, reauth, subject, callbackURL string) error {
	u := web.CurrentUser(c)
	if u == nil || u.ID.String() != reauth {
		return h.proConnectFailed(c, errors.New("proconnect: reauthentication for another session user"))
	}
	linked, err := h.svc.IsProConnectSubject(c.UserContext(), u.ID, subject)
	if err != nil {
		return err
	}
	if !linked {
		h.proConnect.logger.Warn("proconnect reauthentication by another person", "request_id", web.RequestID(c), "user_id", u.ID)
		web.AddFlash(c, "error", "accounts.delete.proConnectMismatch")
		return c.Redirect(paths.To.AccountDelete(), fiber.StatusSeeOther)
	}
	markProConnectAuthenticated(c)
	return c.Redirect(web.SafeRedirectPath(callbackURL, paths.To.AccountDelete()), fiber.StatusSeeOther)
}

// proConnectFailed logs why and sends the user back to the sign-in page.
func (h *Handlers) proConnectFailed(c *fiber.Ctx, err error) error {
	h.proConnect.logger.Warn("proconnect sign-in failed", "request_id", web.RequestID(c), "error", err)
	web.AddFlash(c, "error", "accounts.proConnect.failed")
	return c.Redirect(paths.To.SignIn(), fiber.StatusSeeOther)
}

// proConnectLogout returns where to send the browser after the local
// session ended, so the ProConnect session ends too ("" when the user did not
// come through ProConnect), and the state ProConnect will send back. Call it
// before EndSession (it reads the id_token kept in the session), then keep
// the state under pcLogoutStateKey in the new anonymous session.
func (h *Handlers) proConnectLogout(c *fiber.Ctx) (target, state string) {
	if h.proConnect == nil {
		return "", ""
	}
	state = token.New()
	return h.proConnect.logoutURL(web.SessionValue(c, pcIDTokenKey), state), state
}

// ProConnectSignedOut is where ProConnect sends the browser back after its
// logout; the state must be the one we sent.
func (h *Handlers) ProConnectSignedOut(c *fiber.Ctx) error {
	stored := web.SessionValue(c, pcLogoutStateKey)
	if stored == "" || subtle.ConstantTimeCompare([]byte(c.Query("state")), []byte(stored)) != 1 {
		return web.ErrNotFound
	}
	web.SetSessionValue(c, pcLogoutStateKey, "")
	web.AddFlash(c, "info", "accounts.signOut.done")
	return c.Redirect(paths.To.SignIn(), fiber.StatusSeeOther)
}
