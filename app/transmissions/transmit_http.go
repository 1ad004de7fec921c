package transmissions

import (
	"bytes"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/attachments"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// ids are the organization the collaborator guard checked and the serie of
// the route; a malformed serie id is a 404.
func ids(c *fiber.Ctx) (orgID, serieID uuid.UUID, err error) {
	serieID, err = uuid.Parse(c.Params("eventSerieId"))
	if err != nil {
		return uuid.Nil, uuid.Nil, declarations.ErrSerieNotFound
	}
	return organizations.CurrentOrganization(c).ID, serieID, nil
}

// Transmit is "Déclarer" and "Réessayer": the declaration is checked and its
// transmission queued (or the active one found), then the progress page
// follows it. A declaration missing what an organism requires comes back as
// the declaration page with each problem next to its field.
func (h *Handlers) Transmit(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "transmissions: transmit serie %s", c.Params("eventSerieId"))
	orgID, id, err := ids(c)
	if err != nil {
		return err
	}
	_, _, err = Transmit(c.UserContext(), h.svc.DB, orgID, id, web.AuditActor(c))
	if errs, ok := derrors.AsFields(err); ok {
		return h.declarations.ShowTransmitErrors(c, orgID, id, errs)
	}
	if err != nil {
		return err
	}
	return web.Redirect(c, paths.To.Transmission(orgID, id))
}

// ProgressView is the progress page of a serie's transmission.
type ProgressView struct {
	web.Layout
	*PanelView
}

// Progress is the progress of the serie's latest transmission: the panel's
// fragment htmx polls, or the page that refreshes itself without JavaScript.
// The polled fragment asks for the whole page once the transmission is over,
// so the form shows its new state.
func (h *Handlers) Progress(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "transmissions: progress of serie %s", c.Params("eventSerieId"))
	orgID, id, err := ids(c)
	if err != nil {
		return err
	}
	v, err := h.panel(c, orgID, id, false)
	if err != nil {
		return err
	}
	if web.IsFragmentRequest(c) {
		if !v.Active() {
			c.Set("HX-Refresh", "true")
		}
		return web.Render(c, 0, "", "partials/transmissions/panel", &panelFragment{PanelView: v})
	}
	title := web.Localizer(c).T("transmissions.progress.title")
	layout := web.Layout{Title: web.Title(title, v.SerieName, organizations.CurrentOrganization(c).Name),
		Breadcrumb: organizations.Trail(c).Then(v.SerieName, v.DeclarationURL()).Here(title)}
	return web.Render(c, 0, "pages/transmissions/progress", "", &ProgressView{Layout: layout, PanelView: v})
}

// panelFragment is the panel rendered alone.
type panelFragment struct {
	web.Layout
	*PanelView
}

// panel builds the serie's panel for the request.
func (h *Handlers) panel(c *fiber.Ctx, orgID, serieID uuid.UUID, admin bool) (*PanelView, error) {
	v, err := Panel(c.UserContext(), h.svc.DB, orgID, serieID)
	if err != nil {
		return nil, err
	}
	forRequest(c, v, admin)
	return v, nil
}

// forRequest completes v for the request: the back office's view (admin)
// has no buttons nor polling.
func forRequest(c *fiber.Ctx, v *PanelView, admin bool) {
	v.Admin = admin
	v.Poll = !admin && v.Active()
	if !admin {
		v.CSRF = web.CSRFToken(c)
	}
}

// DeclarationPanel is the declaration page's transmission panel (package
// declarations reads its data, LatestJSON, with the rest of the page).
var DeclarationPanel = declarations.Panel{JSON: LatestJSON, View: declarationPanel}

// declarationPanel is the panel of declaration d, latest its latest
// transmission as LatestJSON wrote it.
func declarationPanel(c *fiber.Ctx, d *declarations.Declaration, latest []byte, _, admin bool) (any, error) {
	v, err := panelOf(d.Organization.ID, d.Serie.ID, d.State, latest)
	if err != nil {
		return nil, err
	}
	forRequest(c, v, admin)
	return &panelFragment{Layout: web.Layout{L: web.Localizer(c)}, PanelView: v}, nil
}

// SacemPDF serves the serie's SACEM PDF: a preview before transmission, the
// copy SACEM received after.
func (h *Handlers) SacemPDF(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "transmissions: SACEM PDF of serie %s", c.Params("eventSerieId"))
	orgID, id, err := ids(c)
	if err != nil {
		return err
	}
	pdf, name, err := h.svc.SacemPDF(c.UserContext(), orgID, id, web.CurrentUser(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, attachments.ContentDisposition(name))
	return c.SendStream(bytes.NewReader(pdf), len(pdf))
}
