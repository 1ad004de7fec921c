package accounts

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// pendingEmailKey remembers the address just signed up with, to pre-fill the
// "send the email again" form without putting it in a URL.
const pendingEmailKey = "accounts.pendingEmail"

// signUpView is the sign-up page and its form.
type signUpView struct {
	web.Layout
	Form   *SignUpForm
	Errors derrors.Fields
	Failed map[string]bool // the failing password rules
}

func newSignUpView(c *fiber.Ctx, f *SignUpForm, errs derrors.Fields, failed []string) *signUpView {
	return &signUpView{Layout: web.Layout{Title: web.Localizer(c).T("accounts.signUp.title")}, Form: f, Errors: errs, Failed: failedSet(failed)}
}

// signUpSentView is the "check your inbox" page.
type signUpSentView struct {
	web.Layout
	Email string
}

// emailFormView is one of the "type your email" pages and its form.
type emailFormView struct {
	web.Layout
	Intro, Action, Submit string
	Email                 string
	Errors                derrors.Fields
}

// ShowSignUp renders the sign-up form. An invitation link sends the invited
// person here with ?email=, which pre-fills the address the invitation was
// sent to: confirming that address is what makes them join (decision P6, docs/decisions.md).
func (h *Handlers) ShowSignUp(c *fiber.Ctx) error {
	f := &SignUpForm{Email: strings.TrimSpace(c.Query("email"))}
	return web.Render(c, 0, "pages/accounts/sign-up", "partials/accounts/sign-up-form", newSignUpView(c, f, nil, nil))
}

// SignUp registers the account, then shows the same "check your inbox" page
// whether or not the email already had an account (decision P2, docs/decisions.md).
func (h *Handlers) SignUp(c *fiber.Ctx) error {
	if err := h.limiter.check(c, hit{signUpPerIP, c.IP()}); err != nil {
		return err
	}
	f := ParseSignUp(c)
	if errs, failed := f.Validate(); errs.Any() {
		f.Password = "" // never sent back into a page
		return web.Render(c, fiber.StatusUnprocessableEntity, "pages/accounts/sign-up", "partials/accounts/sign-up-form",
			newSignUpView(c, f, errs, failed))
	}
	if err := h.limiter.check(c, hit{signUpPerAccount, f.Email}); err != nil {
		return err
	}
	if err := h.svc.SignUp(c.UserContext(), f); err != nil {
		return err
	}
	web.SetSessionValue(c, pendingEmailKey, f.Email)
	return web.Redirect(c, paths.To.SignUpSent())
}

// ShowSignUpSent tells the new user to confirm their email and offers to
// send it again.
func (h *Handlers) ShowSignUpSent(c *fiber.Ctx) error {
	return web.Render(c, 0, "pages/accounts/sign-up-sent", "", &signUpSentView{
		Layout: web.Layout{Title: web.Localizer(c).T("accounts.signUp.sentTitle")},
		Email:  web.SessionValue(c, pendingEmailKey),
	})
}

// ShowResend renders the "send the confirmation email again" form.
func (h *Handlers) ShowResend(c *fiber.Ctx) error {
	return h.renderEmailForm(c, 0, "resend", web.SessionValue(c, pendingEmailKey), nil)
}

// Resend sends a new confirmation email when the account awaits one; the
// answer is the same in every case (decision P2, docs/decisions.md).
func (h *Handlers) Resend(c *fiber.Ctx) error {
	return h.emailAction(c, "resend", hit{resendPerIP, c.IP()}, resendPerAccount, h.svc.ResendConfirmation,
		"accounts.resend.done", paths.To.SignUpSent())
}

// emailForms describes the two "type your email" forms (resend the
// confirmation, forgotten password), which differ only by their texts.
var emailForms = map[string]struct{ Title, Intro, Action, Submit string }{
	"resend":   {"accounts.resend.title", "accounts.resend.intro", paths.SignUpResendRoute, "accounts.resend.submit"},
	"retrieve": {"accounts.retrieve.title", "accounts.retrieve.intro", paths.PasswordRetrieveRoute, "accounts.retrieve.submit"},
}

func (h *Handlers) renderEmailForm(c *fiber.Ctx, status int, kind, email string, errs derrors.Fields) error {
	f := emailForms[kind]
	return web.Render(c, status, "pages/accounts/email-form", "partials/accounts/email-form", &emailFormView{
		Layout: web.Layout{Title: web.Localizer(c).T(f.Title)}, Intro: f.Intro, Action: f.Action, Submit: f.Submit,
		Email: email, Errors: errs,
	})
}

// emailAction runs an email form: per-IP limit, validation, per-account
// limit, the action, then a flash and a redirect that do not depend on
// whether the account exists.
func (h *Handlers) emailAction(c *fiber.Ctx, kind string, perIP hit, perAccount Limit,
	action func(ctx context.Context, email string) error, doneKey, next string) error {
	if err := h.limiter.check(c, perIP); err != nil {
		return err
	}
	email := web.FormValue(c, "email")
	errs := derrors.Fields{}
	checkEmail(errs, "email", email)
	if errs.Any() {
		return h.renderEmailForm(c, fiber.StatusUnprocessableEntity, kind, email, errs)
	}
	if err := h.limiter.check(c, hit{perAccount, email}); err != nil {
		return err
	}
	if err := action(c.UserContext(), email); err != nil {
		return err
	}
	web.AddFlash(c, "success", doneKey)
	return web.Redirect(c, next)
}

// ParseSignUp reads the sign-up form.
func ParseSignUp(c *fiber.Ctx) *SignUpForm {
	return &SignUpForm{
		FirstName:     web.FormValue(c, "firstName"),
		LastName:      web.FormValue(c, "lastName"),
		Email:         web.FormValue(c, "email"),
		Password:      web.BodyValue(c, "password"), // spaces are part of a password
		TermsAccepted: web.BodyValue(c, "termsAccepted") == "on",
	}
}
