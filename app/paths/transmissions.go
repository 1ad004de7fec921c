package paths

import "github.com/google/uuid"

// Route patterns of the transmission of a declaration (package transmissions).
const (
	TransmitRoute            = DeclarationRoute + "/transmit"
	TransmitFrenchRoute      = DeclarationFrenchRoute + "/transmettre"
	TransmissionRoute        = DeclarationRoute + "/transmission"
	TransmissionFrenchRoute  = DeclarationFrenchRoute + "/transmission"
	DeclarationSacemPDFRoute = DeclarationRoute + "/sacem.pdf"
)

// Transmit is where "Déclarer" and "Réessayer" post.
func (Paths) Transmit(orgID, serieID uuid.UUID) string {
	return Fill(TransmitRoute, orgID.String(), serieID.String())
}

// Transmission is the progress of the serie's latest transmission: a page
// that refreshes itself, or the fragment htmx polls.
func (Paths) Transmission(orgID, serieID uuid.UUID) string {
	return Fill(TransmissionRoute, orgID.String(), serieID.String())
}

// DeclarationSacemPDF is the SACEM PDF of the serie: a preview before it is
// sent, the copy SACEM received after.
func (Paths) DeclarationSacemPDF(orgID, serieID uuid.UUID) string {
	return Fill(DeclarationSacemPDFRoute, orgID.String(), serieID.String())
}
