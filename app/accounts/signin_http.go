package accounts

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/users"
	"assistant-declaration/app/web"
)

// signInView is the sign-in page and its form.
type signInView struct {
	web.Layout
	Email       string
	CallbackURL string
	Errors      derrors.Fields
	Alert       *alert
	ProConnect  bool
}

func (h *Handlers) signInView(c *fiber.Ctx, email, callbackURL string, errs derrors.Fields, a *alert) *signInView {
	return &signInView{
		Layout:      web.Layout{Title: web.Localizer(c).T("accounts.signIn.title")},
		Email:       email,
		CallbackURL: web.SafeRedirectPath(callbackURL, ""),
		Errors:      errs,
		Alert:       a,
		ProConnect:  h.proConnect != nil,
	}
}

// ShowSignIn renders the sign-in page. Opened from the confirmation email
// (?token=), it first confirms the sign-up and says how that went. The page
// is for visitors, but the link must work in a browser where someone is
// signed in too, so this handler sends signed-in users to their dashboard
// itself, after the confirmation, with its outcome as a flash.
func (h *Handlers) ShowSignIn(c *fiber.Ctx) error {
	var level, key string
	if token := c.Query("token"); token != "" {
		switch err := h.svc.ConfirmSignUp(c.UserContext(), token); {
		case err == nil:
			level, key = "success", "accounts.confirm.done"
		case errors.Is(err, ErrAlreadyConfirmed):
			level, key = "info", "accounts.confirm.already"
		case errors.Is(err, ErrExpiredToken):
			level, key = "error", "accounts.confirm.expired"
		case errors.Is(err, ErrWrongToken):
			level, key = "error", "accounts.confirm.wrong"
		default:
			return err
		}
	}
	if web.CurrentUser(c) != nil {
		if key != "" {
			web.AddFlash(c, level, key)
		}
		return c.Redirect(paths.To.Dashboard(), fiber.StatusSeeOther)
	}
	var a *alert
	if key != "" {
		a = &alert{Level: level, Text: web.Localizer(c).T(key)}
	}
	return web.Render(c, 0, "pages/accounts/sign-in", "partials/accounts/sign-in-form",
		h.signInView(c, c.Query("login_hint"), c.Query("callbackUrl"), nil, a))
}

// SignIn checks the credentials and opens a new session.
func (h *Handlers) SignIn(c *fiber.Ctx) error {
	email, password, callbackURL := web.FormValue(c, "email"), web.BodyValue(c, "password"), web.BodyValue(c, "callbackUrl")
	if err := h.limiter.check(c, hit{signInPerIP, c.IP()}, hit{signInPerAccount, users.NormalizeEmail(email)}); err != nil {
		return err
	}
	errs := derrors.Fields{}
	if email == "" {
		errs.Add("email", errRequired)
	}
	if password == "" {
		errs.Add("password", errRequired)
	}
	if errs.Any() {
		return h.renderSignIn(c, email, callbackURL, errs, nil)
	}
	a, err := h.svc.Authenticate(c.UserContext(), email, password)
	var locked *LockedError
	switch {
	case err == nil:
	case errors.Is(err, ErrBadCredentials):
		if err := h.record(c, audit.SignInFailed, a, email, map[string]any{"reason": "credentials"}); err != nil {
			return err
		}
		return h.renderSignIn(c, email, callbackURL, nil, errorAlert(c, "accounts.signIn.noMatch"))
	case errors.As(err, &locked):
		if err := h.recordLock(c, a, email, locked); err != nil {
			return err
		}
		return h.renderSignIn(c, email, callbackURL, nil,
			errorAlert(c, "accounts.signIn.locked", "time", locale.Time(locked.Until)))
	case errors.Is(err, ErrNotConfirmed):
		if err := h.record(c, audit.SignInFailed, a, email, map[string]any{"reason": a.Status}); err != nil {
			return err
		}
		key := "accounts.signIn.notConfirmed"
		if a.Status == users.StatusDisabled {
			key = "accounts.signIn.disabled"
		}
		return h.renderSignIn(c, email, callbackURL, nil, errorAlert(c, key))
	default:
		return err
	}
	if err := h.mw.StartUserSession(c, a.ID, a.IsAdmin); err != nil {
		return err
	}
	if err := h.record(c, audit.SignIn, a, email, map[string]any{"method": "password"}); err != nil {
		return err
	}
	return web.Redirect(c, web.SafeRedirectPath(callbackURL, paths.To.Dashboard()))
}

// recordLock audits a refused sign-in on a locked account, and the lock
// itself when this failure caused it.
func (h *Handlers) recordLock(c *fiber.Ctx, a *users.User, email string, locked *LockedError) error {
	if err := h.record(c, audit.SignInFailed, a, email, map[string]any{"reason": "locked"}); err != nil {
		return err
	}
	if !locked.JustLocked {
		return nil
	}
	return h.record(c, audit.AccountLocked, a, email, map[string]any{"until": locked.Until})
}

func (h *Handlers) renderSignIn(c *fiber.Ctx, email, callbackURL string, errs derrors.Fields, a *alert) error {
	return web.Render(c, fiber.StatusUnprocessableEntity, "pages/accounts/sign-in", "partials/accounts/sign-in-form",
		h.signInView(c, email, callbackURL, errs, a))
}

// SignOut ends the session (and the ProConnect one, when the user came
// through ProConnect) and goes back to the sign-in page.
func (h *Handlers) SignOut(c *fiber.Ctx) error {
	var logout, state string
	if id := web.CurrentIdentity(c); id != nil {
		e := web.AuditActor(c).Entry(audit.SignOut)
		e.SubjectUserID, e.SubjectEmail = &id.User.ID, id.User.Email // themselves, unless impersonating
		if err := audit.Record(c.UserContext(), h.db, e); err != nil {
			return err
		}
		logout, state = h.proConnectLogout(c)
	}
	if err := h.mw.EndSession(c); err != nil {
		return err
	}
	if logout != "" {
		// A fresh anonymous session remembers the state ProConnect returns.
		web.SetSessionValue(c, pcLogoutStateKey, state)
		return web.Redirect(c, logout)
	}
	web.AddFlash(c, "info", "accounts.signOut.done")
	return web.Redirect(c, paths.To.SignIn())
}
