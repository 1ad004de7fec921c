package paths

import "github.com/google/uuid"

// Route patterns of the documents of a serie's declaration (package
// attachments).
const (
	AttachmentsUpload = SerieRoute + "/attachments"
	Attachment        = AttachmentsUpload + "/:attachmentId"
	AttachmentType    = Attachment + "/type"
	AttachmentDelete  = Attachment + "/delete"
	AdminAttachment   = "/admin/organizations/:id/series/:serieId/attachments/:attachmentId"
)

// AttachmentsUpload is where the files of a serie are posted.
func (Paths) AttachmentsUpload(organizationID, serieID uuid.UUID) string {
	return Fill(AttachmentsUpload, organizationID.String(), serieID.String())
}

// Attachment downloads a document.
func (Paths) Attachment(organizationID, serieID, attachmentID uuid.UUID) string {
	return Fill(Attachment, organizationID.String(), serieID.String(), attachmentID.String())
}

// AttachmentType changes the type of a document.
func (Paths) AttachmentType(organizationID, serieID, attachmentID uuid.UUID) string {
	return Fill(AttachmentType, organizationID.String(), serieID.String(), attachmentID.String())
}

// AttachmentDelete deletes a document.
func (Paths) AttachmentDelete(organizationID, serieID, attachmentID uuid.UUID) string {
	return Fill(AttachmentDelete, organizationID.String(), serieID.String(), attachmentID.String())
}

// AdminAttachment downloads a document from the back office.
func (Paths) AdminAttachment(organizationID, serieID, attachmentID uuid.UUID) string {
	return Fill(AdminAttachment, organizationID.String(), serieID.String(), attachmentID.String())
}
