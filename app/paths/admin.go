package paths

import (
	"net/url"

	"github.com/google/uuid"
)

// Route patterns of the back office (package admin). The admin ticketing
// pages keep theirs with the synchronization domain.
const (
	AdminOrganizationsPattern       = "/admin"
	AdminOrganizationsExportPattern = "/admin/organizations.csv"
	AdminOrganizationPattern        = "/admin/organizations/:id"
	AdminUsersPattern               = "/admin/users"
	AdminUsersExportPattern         = "/admin/users.csv"
	AdminUserPattern                = "/admin/users/:id"
	AdminUserDisablePattern         = "/admin/users/:id/disable"
	AdminUserEnablePattern          = "/admin/users/:id/enable"
	AdminImpersonationStartPattern  = "/admin/users/:id/impersonate"
	AdminImpersonationStopPattern   = "/admin/impersonation/stop"
	AdminAuditPattern               = "/admin/audit"
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
func (Paths) AdminOrganizations() string { return AdminOrganizationsPattern }

// AdminOrganizationsQuery is the organizations list in the state of query.
func (Paths) AdminOrganizationsQuery(query url.Values) string {
	return adminWithValues(AdminOrganizationsPattern, query)
}

// AdminOrganizationsExport is the CSV export of the organizations of query.
func (Paths) AdminOrganizationsExport(query url.Values) string {
	return adminWithValues(AdminOrganizationsExportPattern, query)
}

// AdminOrganization is the admin page of one organization.
func (Paths) AdminOrganization(id uuid.UUID) string {
	return Fill(AdminOrganizationPattern, id.String())
}

// AdminUsers is the users list.
func (Paths) AdminUsers() string { return AdminUsersPattern }

// AdminUsersQuery is the users list in the state of query.
func (Paths) AdminUsersQuery(query url.Values) string {
	return adminWithValues(AdminUsersPattern, query)
}

// AdminUsersExport is the CSV export of the users of query.
func (Paths) AdminUsersExport(query url.Values) string {
	return adminWithValues(AdminUsersExportPattern, query)
}

// AdminUser is the admin page of one user.
func (Paths) AdminUser(id uuid.UUID) string { return Fill(AdminUserPattern, id.String()) }

// AdminUserDisable disables a user (POST).
func (Paths) AdminUserDisable(id uuid.UUID) string {
	return Fill(AdminUserDisablePattern, id.String())
}

// AdminUserEnable re-enables a user (POST).
func (Paths) AdminUserEnable(id uuid.UUID) string {
	return Fill(AdminUserEnablePattern, id.String())
}

// AdminImpersonationStart starts acting as a user (POST).
func (Paths) AdminImpersonationStart(id uuid.UUID) string {
	return Fill(AdminImpersonationStartPattern, id.String())
}

// AdminImpersonationStop ends an impersonation (POST).
func (Paths) AdminImpersonationStop() string { return AdminImpersonationStopPattern }

// AdminAudit is the audit log.
func (Paths) AdminAudit() string { return AdminAuditPattern }

// AdminAuditQuery is the audit log in the state of query.
func (Paths) AdminAuditQuery(query url.Values) string {
	return adminWithValues(AdminAuditPattern, query)
}

// AdminAuditOf is the audit log of the entries by or about email.
func (Paths) AdminAuditOf(email string) string { return WithQuery(AdminAuditPattern, "email", email) }
