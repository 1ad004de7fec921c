package attachments

import (
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// ids reads the organization and serie ids of the route.
func ids(c *fiber.Ctx) (organizationID, serieID uuid.UUID, err error) {
	serieID, err = web.IDParam(c, "eventSerieId")
	return organizations.CurrentOrganization(c).ID, serieID, err
}

// respond ends a mutation: the panel for htmx (422 when files were refused, so
// htmx still swaps it), a 303 to the declaration page otherwise.
func (h *Handlers) respond(c *fiber.Ctx, orgID, serieID uuid.UUID, refused []Refusal) error {
	if !web.IsHTMX(c) {
		return c.Redirect(paths.To.Declaration(orgID, serieID), fiber.StatusSeeOther)
	}
	ctx := c.UserContext()
	editable, err := Editable(ctx, h.svc.DB, orgID, serieID)
	if err != nil {
		return err
	}
	view, err := NewPanelView(ctx, h.svc.DB, web.Localizer(c), web.CSRFToken(c), orgID, serieID, editable)
	if err != nil {
		return err
	}
	view.SetRefused(refused)
	c.Vary("HX-Request")
	if len(refused) > 0 {
		c.Status(fiber.StatusUnprocessableEntity)
	}
	return web.RenderPartial(c, "partials/attachments/panel", view)
}
