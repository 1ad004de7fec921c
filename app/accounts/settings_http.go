package accounts

import (
	"errors"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// settingsView is the account settings page: the profile form and the
// password form, each with its own errors.
type settingsView struct {
	web.Layout
	Profile        *ProfileForm
	Email          string
	ProfileErrors  derrors.Fields
	PasswordErrors derrors.Fields
	Failed         map[string]bool // the failing password rules
	Impersonating  bool
	HasPassword    bool
	// DeadlineReminders: the user gets the declaration deadline reminders.
	DeadlineReminders bool
}

// renderSettings renders the account settings page (or only partial, for
// htmx): the profile form and the password form, each with its own errors.
// An account without password (created through ProConnect) is pointed to the
// reset page instead of a form asking for a current password it does not have.
func (h *Handlers) renderSettings(c *fiber.Ctx, status int, partial string, profile *ProfileForm, profileErrs, passwordErrs derrors.Fields, failed []string) error {
	u := web.CurrentUser(c)
	hasPassword, err := h.svc.HasPassword(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	reminders, err := h.svc.DeadlineReminders(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	if profile == nil {
		profile = &ProfileForm{FirstName: u.FirstName, LastName: u.LastName}
	}
	return web.Render(c, status, "pages/accounts/settings", partial, &settingsView{
		Layout: settingsLayout(c), Profile: profile, Email: u.Email,
		ProfileErrors: profileErrs, PasswordErrors: passwordErrs, Failed: failedSet(failed),
		Impersonating: web.CurrentIdentity(c).Impersonating(), HasPassword: hasPassword,
		DeadlineReminders: reminders,
	})
}

// Settings renders the account settings page.
func (h *Handlers) Settings(c *fiber.Ctx) error {
	return h.renderSettings(c, 0, "", nil, nil, nil, nil)
}

// UpdateProfile saves the first and last names.
func (h *Handlers) UpdateProfile(c *fiber.Ctx) error {
	f := &ProfileForm{FirstName: web.FormValue(c, "firstName"), LastName: web.FormValue(c, "lastName")}
	if errs := f.Validate(); errs.Any() {
		return h.renderSettings(c, fiber.StatusUnprocessableEntity, "partials/accounts/profile-form", f, errs, nil, nil)
	}
	if err := h.svc.UpdateProfile(c.UserContext(), web.CurrentUser(c).ID, f); err != nil {
		return err
	}
	web.AddFlash(c, "success", "accounts.settings.profileSaved")
	return web.Redirect(c, paths.To.Settings())
}

// ChangePassword replaces the password; the other sessions are revoked.
func (h *Handlers) ChangePassword(c *fiber.Ctx) error {
	f := &PasswordForm{Current: web.BodyValue(c, "currentPassword"), Password: web.BodyValue(c, "newPassword")}
	errs, failed := f.Validate()
	if !errs.Any() {
		err := h.svc.ChangePassword(c.UserContext(), web.CurrentUser(c).ID, f.Current, f.Password, web.SessionID(c))
		switch {
		case errors.Is(err, ErrWrongCurrentPassword):
			errs.Add("currentPassword", "accounts.settings.wrongCurrentPassword")
		case err != nil:
			return err
		default:
			web.AddFlash(c, "success", "accounts.settings.passwordSaved")
			return web.Redirect(c, paths.To.Settings())
		}
	}
	return h.renderSettings(c, fiber.StatusUnprocessableEntity, "partials/accounts/password-form", nil, nil, errs, failed)
}

// UpdateReminders switches the declaration deadline reminders on (the
// checkbox is sent) or off (it is not).
func (h *Handlers) UpdateReminders(c *fiber.Ctx) error {
	on := web.BodyValue(c, "deadlineReminders") == "on"
	if err := h.svc.SetDeadlineReminders(c.UserContext(), web.CurrentUser(c).ID, on); err != nil {
		return err
	}
	if on {
		web.AddFlash(c, "success", "accounts.settings.remindersOn")
	} else {
		web.AddFlash(c, "success", "accounts.settings.remindersOff")
	}
	return web.Redirect(c, paths.To.Settings())
}

// settingsLayout is the layout of the account settings page, below the
// dashboard.
func settingsLayout(c *fiber.Ctx) web.Layout {
	title := web.Localizer(c).T("accounts.settings.title")
	return web.Layout{Title: title, Breadcrumb: web.Trail(c).Here(title)}
}
