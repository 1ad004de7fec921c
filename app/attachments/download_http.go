package attachments

import (
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/web"
)

// Download sends a document of a serie to a collaborator of its organization.
func (h *Handlers) Download(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "attachments: download %s", c.Params("attachmentId"))
	orgID, serieID, err := ids(c)
	if err != nil {
		return err
	}
	return h.send(c, orgID, serieID)
}

// AdminDownload sends a document to an admin.
func (h *Handlers) AdminDownload(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "attachments: admin download %s", c.Params("attachmentId"))
	orgID, err := web.IDParam(c, "id")
	if err != nil {
		return err
	}
	serieID, err := web.IDParam(c, "serieId")
	if err != nil {
		return err
	}
	return h.send(c, orgID, serieID)
}

// send answers with the document as a download: never shown inline, never
// sniffed into another type than the one recognized at upload.
func (h *Handlers) send(c *fiber.Ctx, orgID, serieID uuid.UUID) error {
	attachmentID, err := web.IDParam(c, "attachmentId")
	if err != nil {
		return err
	}
	a, content, err := h.svc.Open(c.UserContext(), orgID, serieID, attachmentID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, a.ContentType)
	c.Set(fiber.HeaderContentDisposition, ContentDisposition(a.Name))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(content)
}
