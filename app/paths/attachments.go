package paths

import "github.com/google/uuid"

// Route patterns of the documents of a serie's declaration (package
// attachments).
const (
	AttachmentsRoute      = SerieRoute + "/attachments"
	AttachmentRoute       = AttachmentsRoute + "/:attachmentId"
	AttachmentTypeRoute   = AttachmentRoute + "/type"
	AttachmentDeleteRoute = AttachmentRoute + "/delete"
	AdminAttachmentRoute  = "/admin/organizations/:id/series/:serieId/attachments/:attachmentId"
)

// AttachmentsUpload is where the files of a serie are posted.
func (Paths) AttachmentsUpload(organizationID, serieID uuid.UUID) string {
	return Fill(AttachmentsRoute, organizationID.String(), serieID.String())
}

// Attachment downloads a document.
func (Paths) Attachment(organizationID, serieID, attachmentID uuid.UUID) string {
	return Fill(AttachmentRoute, organizationID.String(), serieID.String(), attachmentID.String())
}

// AttachmentType changes the type of a document.
func (Paths) AttachmentType(organizationID, serieID, attachmentID uuid.UUID) string {
	return Fill(AttachmentTypeRoute, organizationID.String(), serieID.String(), attachmentID.String())
}

// AttachmentDelete deletes a document.
func (Paths) AttachmentDelete(organizationID, serieID, attachmentID uuid.UUID) string {
	return Fill(AttachmentDeleteRoute, organizationID.String(), serieID.String(), attachmentID.String())
}

// AdminAttachment downloads a document from the back office.
func (Paths) AdminAttachment(organizationID, serieID, attachmentID uuid.UUID) string {
	return Fill(AdminAttachmentRoute, organizationID.String(), serieID.String(), attachmentID.String())
}
