package paths

import (
	"net/url"
	"strings"

	"github.com/google/uuid"
)

// Route patterns of the back office (package admin). The admin ticketing
// pages keep theirs with the synchronization domain.
const (
	AdminOrganizationsRoute       = "/admin"
	AdminOrganizationsExportRoute = "/admin/organizations.csv"
	AdminOrganizationRoute        = "/admin/organizations/:id"
	AdminUsersRoute               = "/admin/users"
	AdminUsersExportRoute         = "/admin/users.csv"
	AdminUserRoute                = "/admin/users/:id"
	AdminUserDisableRoute         = "/admin/users/:id/disable"
	AdminUserEnableRoute          = "/admin/users/:id/enable"
	AdminImpersonationStartRoute  = "/admin/users/:id/impersonate"
	AdminImpersonationStopRoute   = "/admin/impersonation/stop"
	AdminAuditRoute               = "/admin/audit"
	AdminDeclarationsRoute        = "/admin/declarations"
	AdminDeclarationsExportRoute  = "/admin/declarations.csv"
	AdminDeclarationRetryRoute    = "/admin/declarations/:serieId/retry"
	AdminStatisticsRoute          = "/admin/statistics"
	AdminJobsRoute                = "/admin/jobs"
	AdminJobRunRoute              = "/admin/jobs/:name/run"
	AdminSettingsRoute            = "/admin/settings"
	AdminMaintenanceRoute         = "/admin/settings/maintenance"
	AdminMaintenanceClearRoute    = "/admin/settings/maintenance/clear"
)

// adminWithValues appends a list's query string (search, filters, sort,
// page) to one of its paths.
func adminWithValues(path string, query url.Values) string {
	if len(query) == 0 {
		return path
	}
	return path + "?" + query.Encode()
}

// AdminOrganizations is the back office home, the organizations list.
func (Paths) AdminOrganizations() string { return AdminOrganizationsRoute }

// AdminOrganizationsQuery is the organizations list in the state of query.
func (Paths) AdminOrganizationsQuery(query url.Values) string {
	return adminWithValues(AdminOrganizationsRoute, query)
}

// AdminOrganizationsExport is the CSV export of the organizations of query.
func (Paths) AdminOrganizationsExport(query url.Values) string {
	return adminWithValues(AdminOrganizationsExportRoute, query)
}

// AdminOrganization is the admin page of one organization.
func (Paths) AdminOrganization(id uuid.UUID) string {
	return Fill(AdminOrganizationRoute, id.String())
}

// AdminUsers is the users list.
func (Paths) AdminUsers() string { return AdminUsersRoute }

// AdminUsersQuery is the users list in the state of query.
func (Paths) AdminUsersQuery(query url.Values) string {
	return adminWithValues(AdminUsersRoute, query)
}

// AdminUsersExport is the CSV export of the users of query.
func (Paths) AdminUsersExport(query url.Values) string {
	return adminWithValues(AdminUsersExportRoute, query)
}

// AdminUser is the admin page of one user.
func (Paths) AdminUser(id uuid.UUID) string { return Fill(AdminUserRoute, id.String()) }

// AdminUserDisable disables a user (POST).
func (Paths) AdminUserDisable(id uuid.UUID) string {
	return Fill(AdminUserDisableRoute, id.String())
}

// AdminUserEnable re-enables a user (POST).
func (Paths) AdminUserEnable(id uuid.UUID) string {
	return Fill(AdminUserEnableRoute, id.String())
}

// AdminImpersonationStart starts acting as a user (POST).
func (Paths) AdminImpersonationStart(id uuid.UUID) string {
	return Fill(AdminImpersonationStartRoute, id.String())
}

// AdminImpersonationStop ends an impersonation (POST).
func (Paths) AdminImpersonationStop() string { return AdminImpersonationStopRoute }

// AdminAudit is the audit log.
func (Paths) AdminAudit() string { return AdminAuditRoute }

// AdminAuditQuery is the audit log in the state of query.
func (Paths) AdminAuditQuery(query url.Values) string {
	return adminWithValues(AdminAuditRoute, query)
}

// AdminAuditOf is the audit log of the entries by or about email.
func (Paths) AdminAuditOf(email string) string { return WithQuery(AdminAuditRoute, "email", email) }

// AdminDeclarations is the list of declarations in error.
func (Paths) AdminDeclarations() string { return AdminDeclarationsRoute }

// AdminDeclarationsQuery is the list of declarations in error in the state of query.
func (Paths) AdminDeclarationsQuery(query url.Values) string {
	return adminWithValues(AdminDeclarationsRoute, query)
}

// AdminDeclarationsExport is the CSV export of the declarations in error of query.
func (Paths) AdminDeclarationsExport(query url.Values) string {
	return adminWithValues(AdminDeclarationsExportRoute, query)
}

// AdminDeclarationRetry relaunches the transmission of a serie (POST).
func (Paths) AdminDeclarationRetry(serieID uuid.UUID) string {
	return Fill(AdminDeclarationRetryRoute, serieID.String())
}

// AdminStatistics is the statistics page.
func (Paths) AdminStatistics() string { return AdminStatisticsRoute }

// AdminJobs is the page of the scheduled jobs and pollers.
func (Paths) AdminJobs() string { return AdminJobsRoute }

// AdminJobRun asks for one run of the named job now (POST).
func (Paths) AdminJobRun(name string) string { return Fill(AdminJobRunRoute, name) }

// AdminSettings is the page of the service's settings (maintenance banner).
func (Paths) AdminSettings() string { return AdminSettingsRoute }

// AdminMaintenance publishes the maintenance banner (POST).
func (Paths) AdminMaintenance() string { return AdminMaintenanceRoute }

// AdminMaintenanceClear removes the maintenance banner (POST).
func (Paths) AdminMaintenanceClear() string { return AdminMaintenanceClearRoute }

// AdminSection is one entry of the back office's sub-navigation.
type AdminSection struct {
	// LabelKey is the translation key of the entry.
	LabelKey string
	// Path is where the entry leads.
	Path string
	// prefixes are the paths the entry is current on (with their sub-paths).
	prefixes []string
}

// Current tells whether the page at path belongs to the section.
func (s AdminSection) Current(path string) bool {
	if path == s.Path {
		return true
	}
	for _, p := range s.prefixes {
		if path == p || strings.HasPrefix(path, p+"/") || strings.HasPrefix(path, p+".") {
			return true
		}
	}
	return false
}

// adminSections is the sub-navigation in its order. The organizations list
// is /admin itself: it is current there and on the organization pages only,
// not on every /admin path.
var adminSections = []AdminSection{
	{LabelKey: "admin.nav.organizations", Path: AdminOrganizationsRoute, prefixes: []string{AdminOrganizationsRoute + "/organizations"}},
	{LabelKey: "admin.nav.users", Path: AdminUsersRoute, prefixes: []string{AdminUsersRoute}},
	{LabelKey: "admin.nav.declarations", Path: AdminDeclarationsRoute, prefixes: []string{AdminDeclarationsRoute}},
	{LabelKey: "admin.nav.ticketing", Path: AdminTicketingInErrorRoute, prefixes: []string{AdminTicketingInErrorRoute}},
	{LabelKey: "admin.nav.statistics", Path: AdminStatisticsRoute, prefixes: []string{AdminStatisticsRoute}},
	{LabelKey: "admin.nav.jobs", Path: AdminJobsRoute, prefixes: []string{AdminJobsRoute}},
	{LabelKey: "admin.nav.agencies", Path: AdminAgenciesRoute, prefixes: []string{AdminAgenciesRoute}},
	{LabelKey: "admin.nav.audit", Path: AdminAuditRoute, prefixes: []string{AdminAuditRoute}},
	{LabelKey: "admin.nav.settings", Path: AdminSettingsRoute, prefixes: []string{AdminSettingsRoute}},
}

// AdminSections is the back office's sub-navigation, reaching every admin page.
func (Paths) AdminSections() []AdminSection { return adminSections }
