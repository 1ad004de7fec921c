package paths

import "github.com/google/uuid"

// Route patterns of the series domain (package series). "series/new" is not
// under "serie/:eventSerieId", so no id is ever taken for "new".
const (
	SeriesRoute      = OrganizationRoute + "/series"
	SerieNewRoute    = SeriesRoute + "/new"
	SerieRoute       = OrganizationRoute + "/serie/:eventSerieId"
	SerieEditRoute   = SerieRoute + "/edit"
	SerieDeleteRoute = SerieRoute + "/delete"
	// DeclarationRoute is the declaration page of a serie (package declarations).
	DeclarationRoute = SerieRoute + "/declaration"
)

// Series is the fragment of an organization's series list under filter, for
// htmx; adding a manual serie posts there too.
func (Paths) Series(orgID uuid.UUID, filter string) string {
	return WithQuery(Fill(SeriesRoute, orgID.String()), "filter", filter)
}

// SerieNew is the form adding a manual serie.
func (Paths) SerieNew(orgID uuid.UUID) string { return Fill(SerieNewRoute, orgID.String()) }

// SerieEdit is the form of a manual serie.
func (Paths) SerieEdit(orgID, serieID uuid.UUID) string {
	return Fill(SerieEditRoute, orgID.String(), serieID.String())
}

// SerieDelete is the confirmation page deleting a manual serie, and where it
// posts.
func (Paths) SerieDelete(orgID, serieID uuid.UUID) string {
	return Fill(SerieDeleteRoute, orgID.String(), serieID.String())
}

// Declaration is the declaration page of a serie.
func (Paths) Declaration(orgID, serieID uuid.UUID) string {
	return Fill(DeclarationRoute, orgID.String(), serieID.String())
}
