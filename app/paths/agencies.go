package paths

// Route patterns of the organisms' regional agencies (package agencies).
const (
	AdminAgenciesRoute = "/admin/agencies"
)

// AdminAgencies is the back office list of the SACEM and SACD agencies.
func (Paths) AdminAgencies() string { return AdminAgenciesRoute }
