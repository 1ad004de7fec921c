package accounts

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// ShowRetrieve renders the forgotten-password form.
func (h *Handlers) ShowRetrieve(c *fiber.Ctx) error {
	return h.renderEmailForm(c, 0, "retrieve", c.Query("login_hint"), nil)
}

// Retrieve emails a reset link when the account exists; the answer is the
// same in every case (decision P2, docs/decisions.md).
func (h *Handlers) Retrieve(c *fiber.Ctx) error {
	return h.emailAction(c, "retrieve", hit{retrievePerIP, c.IP()}, retrievePerAcct, h.svc.RequestPasswordReset,
		"accounts.retrieve.done", paths.To.PasswordRetrieve())
}

// tokenAlert explains why a reset link cannot be used.
func tokenAlert(c *fiber.Ctx, err error) *alert {
	if errors.Is(err, ErrExpiredToken) {
		return errorAlert(c, "accounts.reset.expired")
	}
	return errorAlert(c, "accounts.reset.wrong")
}

// resetView is the new-password page of a reset link and its form; Usable is
// false when the link cannot be used (Alert says why).
type resetView struct {
	web.Layout
	Token  string
	Errors derrors.Fields
	Failed map[string]bool // the failing password rules
	Alert  *alert
	Usable bool
}

func (h *Handlers) renderReset(c *fiber.Ctx, status int, token string, errs derrors.Fields, failed []string, a *alert) error {
	return web.Render(c, status, "pages/accounts/password-reset", "partials/accounts/password-reset-form", &resetView{
		Layout: web.Layout{Title: web.Localizer(c).T("accounts.reset.title")}, Token: token, Errors: errs, Failed: failedSet(failed),
		Alert: a, Usable: a == nil || errs.Any(),
	})
}

// ShowReset renders the new-password form of a reset link, or why the link
// cannot be used.
func (h *Handlers) ShowReset(c *fiber.Ctx) error {
	token := c.Query("token")
	if err := h.svc.CheckResetToken(c.UserContext(), token); err != nil {
		if errors.Is(err, ErrWrongToken) || errors.Is(err, ErrExpiredToken) {
			return h.renderReset(c, 0, "", nil, nil, tokenAlert(c, err))
		}
		return err
	}
	return h.renderReset(c, 0, token, nil, nil, nil)
}

// Reset sets the new password and sends the user to the sign-in page.
func (h *Handlers) Reset(c *fiber.Ctx) error {
	if err := h.limiter.check(c, hit{resetPerIP, c.IP()}); err != nil {
		return err
	}
	token, password := web.BodyValue(c, "token"), web.BodyValue(c, "password")
	errs := derrors.Fields{}
	if failed := checkNewPassword(errs, "password", password); errs.Any() {
		return h.renderReset(c, fiber.StatusUnprocessableEntity, token, errs, failed, nil)
	}
	if err := h.svc.ResetPassword(c.UserContext(), token, password); err != nil {
		if errors.Is(err, ErrWrongToken) || errors.Is(err, ErrExpiredToken) {
			return h.renderReset(c, fiber.StatusUnprocessableEntity, "", nil, nil, tokenAlert(c, err))
		}
		return err
	}
	web.AddFlash(c, "success", "accounts.reset.done")
	return web.Redirect(c, paths.To.SignIn())
}
