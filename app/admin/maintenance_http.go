package admin

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// settingsView is the page of the service's settings: the maintenance banner.
type settingsView struct {
	web.Layout
	// Current is the published banner (expired or not), nil when none.
	Current *web.Banner
	// Expired tells the published banner's end date is past.
	Expired bool
	Form    MaintenanceForm
	Errors  derrors.Fields
}

// Settings shows the maintenance banner's form.
func (h *Handlers) Settings(c *fiber.Ctx) error {
	return h.renderSettings(c, 0, nil, nil)
}

func (h *Handlers) renderSettings(c *fiber.Ctx, status int, form *MaintenanceForm, errs derrors.Fields) error {
	current, err := CurrentBanner(c.UserContext(), h.db)
	if err != nil {
		return err
	}
	v := &settingsView{Layout: web.AdminSection(c, "admin.settings.title"), Current: current, Errors: errs}
	if current != nil {
		v.Expired = !current.ShownAt(h.now())
		v.Form = MaintenanceForm{Message: current.Message, EndsAt: EndsAtValue(current.EndsAt)}
	}
	if form != nil {
		v.Form = *form
	}
	return web.Render(c, status, "pages/admin/settings", "", v)
}

// PublishMaintenance publishes the banner of the form.
func (h *Handlers) PublishMaintenance(c *fiber.Ctx) error {
	form := MaintenanceForm{Message: web.BodyValue(c, "message"), EndsAt: web.BodyValue(c, "endsAt")}
	if err := PublishBanner(c.UserContext(), h.db, web.AuditActor(c), form, h.now()); err != nil {
		if errs, ok := derrors.AsFields(err); ok {
			return h.renderSettings(c, status422(errs), &form, errs)
		}
		return err
	}
	h.BannerChanged()
	web.AddFlash(c, "success", "admin.settings.published")
	return web.Redirect(c, paths.To.AdminSettings())
}

// ClearMaintenance removes the banner.
func (h *Handlers) ClearMaintenance(c *fiber.Ctx) error {
	if err := ClearBanner(c.UserContext(), h.db, web.AuditActor(c)); err != nil {
		return err
	}
	h.BannerChanged()
	web.AddFlash(c, "success", "admin.settings.cleared")
	return web.Redirect(c, paths.To.AdminSettings())
}
