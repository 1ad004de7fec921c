package paths

import "github.com/google/uuid"

// Route patterns of the declaration form of a serie.
const (
	DeclarationPattern          = "/dashboard/organization/:organizationId/serie/:eventSerieId/declaration"
	DeclarationPatternFR        = "/tableau-de-bord/organisation/:organizationId/serie/:eventSerieId/declaration"
	DeclarationFieldsPattern    = DeclarationPattern + "/fields"
	DeclarationAddressesPattern = DeclarationPattern + "/addresses"
	DeclarationCompaniesPattern = DeclarationPattern + "/companies"
	DeclarationAdminPattern     = "/admin/organizations/:id/series/:serieId/declaration"
)

// DeclarationSave is where the whole form posts ("Enregistrer", without
// JavaScript): the page's own path.
func (Paths) DeclarationSave(orgID, serieID uuid.UUID) string {
	return Fill(DeclarationPattern, orgID.String(), serieID.String())
}

// DeclarationFields is where a group of fields posts when one of them changed (htmx).
func (Paths) DeclarationFields(orgID, serieID uuid.UUID) string {
	return Fill(DeclarationFieldsPattern, orgID.String(), serieID.String())
}

// DeclarationAddresses is the address look-up of the places.
func (Paths) DeclarationAddresses(orgID, serieID uuid.UUID) string {
	return Fill(DeclarationAddressesPattern, orgID.String(), serieID.String())
}

// DeclarationCompanies is the company look-up of the producer.
func (Paths) DeclarationCompanies(orgID, serieID uuid.UUID) string {
	return Fill(DeclarationCompaniesPattern, orgID.String(), serieID.String())
}

// DeclarationAdmin is the read-only view of a declaration in the back office.
func (Paths) DeclarationAdmin(orgID, serieID uuid.UUID) string {
	return Fill(DeclarationAdminPattern, orgID.String(), serieID.String())
}
