package attachments

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/web"
)

// ChangeType sets the type of a document from the form's "type" field.
func (h *Handlers) ChangeType(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "attachments: change type of %s", c.Params("attachmentId"))
	orgID, serieID, err := ids(c)
	if err != nil {
		return err
	}
	attachmentID, err := web.IDParam(c, "attachmentId")
	if err != nil {
		return err
	}
	t := Type(web.FormValue(c, "type"))
	if err := h.svc.ChangeType(c.UserContext(), orgID, serieID, attachmentID, t, web.AuditActor(c)); err != nil {
		return err
	}
	if !web.IsHTMX(c) {
		web.AddFlash(c, "success", "attachments.flash.typeChanged")
	}
	return h.respond(c, orgID, serieID, nil)
}

// Delete deletes a document.
func (h *Handlers) Delete(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "attachments: delete %s", c.Params("attachmentId"))
	orgID, serieID, err := ids(c)
	if err != nil {
		return err
	}
	attachmentID, err := web.IDParam(c, "attachmentId")
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.UserContext(), orgID, serieID, attachmentID, web.AuditActor(c)); err != nil {
		return err
	}
	if !web.IsHTMX(c) {
		web.AddFlash(c, "success", "attachments.flash.deleted")
	}
	return h.respond(c, orgID, serieID, nil)
}
