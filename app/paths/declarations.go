package paths

import "github.com/google/uuid"

// Route patterns of the declaration form of a serie.
const (
	DeclarationFrenchRoute    = "/tableau-de-bord/organisation/:organizationId/serie/:eventSerieId/declaration"
	DeclarationFieldsRoute    = DeclarationRoute + "/fields"
	DeclarationAddressesRoute = DeclarationRoute + "/addresses"
	DeclarationCompaniesRoute = DeclarationRoute + "/companies"
	DeclarationAdminRoute     = "/admin/organizations/:id/series/:serieId/declaration"
)

// DeclarationSave is where the whole form posts ("Enregistrer", without
// JavaScript): the page's own path.
func (Paths) DeclarationSave(orgID, serieID uuid.UUID) string {
	return Fill(DeclarationRoute, orgID.String(), serieID.String())
}

// DeclarationFields is where a group of fields posts when one of them changed (htmx).
func (Paths) DeclarationFields(orgID, serieID uuid.UUID) string {
	return Fill(DeclarationFieldsRoute, orgID.String(), serieID.String())
}

// DeclarationAddresses is the address look-up of the places.
func (Paths) DeclarationAddresses(orgID, serieID uuid.UUID) string {
	return Fill(DeclarationAddressesRoute, orgID.String(), serieID.String())
}

// DeclarationCompanies is the company look-up of the producer.
func (Paths) DeclarationCompanies(orgID, serieID uuid.UUID) string {
	return Fill(DeclarationCompaniesRoute, orgID.String(), serieID.String())
}

// DeclarationAdmin is the read-only view of a declaration in the back office.
func (Paths) DeclarationAdmin(orgID, serieID uuid.UUID) string {
	return Fill(DeclarationAdminRoute, orgID.String(), serieID.String())
}
