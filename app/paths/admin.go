package paths

import (
	"net/url"

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
