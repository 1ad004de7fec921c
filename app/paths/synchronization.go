package paths

import "github.com/google/uuid"

// Route patterns of an organization's ticketing systems and of their
// synchronization (package synchronization), and of the back office's
// ticketing screens. The French paths of the original application are kept
// for old links.
const (
	TicketingSystemsRoute          = OrganizationRoute + "/ticketing-systems"
	TicketingConnectRoute          = OrganizationRoute + "/ticketing-system/connect"
	TicketingSystemEditRoute       = OrganizationRoute + "/ticketing-system/:ticketingSystemId/edit"
	TicketingSystemDisconnectRoute = OrganizationRoute + "/ticketing-system/:ticketingSystemId/disconnect"
	SynchronizeRoute               = TicketingSystemsRoute + "/synchronize"
	SynchronizationRunRoute        = TicketingSystemsRoute + "/synchronization/:runId"

	TicketingSystemsFrenchRoute    = "/tableau-de-bord/organisation/:organizationId/systemes-de-billetterie"
	TicketingConnectFrenchRoute    = "/tableau-de-bord/organisation/:organizationId/systeme-de-billetterie/connexion"
	TicketingConnectShortRoute     = OrganizationRoute + "/ticketing"
	TicketingSystemEditFrenchRoute = "/tableau-de-bord/organisation/:organizationId/systeme-de-billetterie/:ticketingSystemId/editer"

	AdminTicketingInErrorRoute       = "/admin/ticketing"
	AdminTicketingOrganizationRoute  = AdminTicketingInErrorRoute + "/organizations/:organizationId"
	AdminTicketingResynchronizeRoute = AdminTicketingOrganizationRoute + "/resynchronize"
)

// TicketingSystems is the organization's list of ticketing systems.
func (Paths) TicketingSystems(orgID uuid.UUID) string {
	return Fill(TicketingSystemsRoute, orgID.String())
}

// TicketingConnect is the form connecting a ticketing system.
func (Paths) TicketingConnect(orgID uuid.UUID) string {
	return Fill(TicketingConnectRoute, orgID.String())
}

// TicketingConnectSystem is the connect form showing the fields of system.
func (Paths) TicketingConnectSystem(orgID uuid.UUID, system string) string {
	return WithQuery(Fill(TicketingConnectRoute, orgID.String()), "system", system)
}

// TicketingSystemEdit is the form replacing a system's credentials, and where
// it posts.
func (Paths) TicketingSystemEdit(orgID, systemID uuid.UUID) string {
	return Fill(TicketingSystemEditRoute, orgID.String(), systemID.String())
}

// TicketingSystemDisconnect disconnects a system (POST).
func (Paths) TicketingSystemDisconnect(orgID, systemID uuid.UUID) string {
	return Fill(TicketingSystemDisconnectRoute, orgID.String(), systemID.String())
}

// Synchronize enqueues a synchronization of the organization (POST).
func (Paths) Synchronize(orgID uuid.UUID) string {
	return Fill(SynchronizeRoute, orgID.String())
}

// SynchronizationRun is the progress of a synchronization run.
func (Paths) SynchronizationRun(orgID, runID uuid.UUID) string {
	return Fill(SynchronizationRunRoute, orgID.String(), runID.String())
}

// AdminTicketingInError lists the ticketing systems in error.
func (Paths) AdminTicketingInError() string { return AdminTicketingInErrorRoute }

// AdminTicketingOrganization is the ticketing fragment of an organization's
// admin page.
func (Paths) AdminTicketingOrganization(orgID uuid.UUID) string {
	return Fill(AdminTicketingOrganizationRoute, orgID.String())
}

// AdminTicketingResynchronize enqueues a synchronization for an admin (POST).
func (Paths) AdminTicketingResynchronize(orgID uuid.UUID) string {
	return Fill(AdminTicketingResynchronizeRoute, orgID.String())
}
