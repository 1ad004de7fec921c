package paths

import "github.com/google/uuid"

// Declaration is the declaration page of a serie.
func (Paths) Declaration(orgID, serieID uuid.UUID) string {
	return Fill(DeclarationPattern, orgID.String(), serieID.String())
}
