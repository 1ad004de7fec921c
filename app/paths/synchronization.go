package paths

import "github.com/google/uuid"

// Route patterns of an organization's ticketing systems and of their
// synchronization (package synchronization), and of the back office's
// ticketing screens. The French paths of the original application are kept
// for old links.
const (
	TicketingSystemsPattern          = OrganizationRoute + "/ticketing-systems"
	TicketingConnectPattern          = OrganizationRoute + "/ticketing-system/connect"
	TicketingSystemEditPattern       = OrganizationRoute + "/ticketing-system/:ticketingSystemId/edit"
	TicketingSystemDisconnectPattern = OrganizationRoute + "/ticketing-system/:ticketingSystemId/disconnect"
	SynchronizePattern               = TicketingSystemsPattern + "/synchronize"
	SynchronizationRunPattern        = TicketingSystemsPattern + "/synchronization/:runId"

	TicketingSystemsFrenchPattern    = "/tableau-de-bord/organisation/:organizationId/systemes-de-billetterie"
	TicketingConnectFrenchPattern    = "/tableau-de-bord/organisation/:organizationId/systeme-de-billetterie/connexion"
	TicketingConnectShortPattern     = OrganizationRoute + "/ticketing"
	TicketingSystemEditFrenchPattern = "/tableau-de-bord/organisation/:organizationId/systeme-de-billetterie/:ticketingSystemId/editer"

	AdminTicketingInErrorPattern       = "/admin/ticketing"
	AdminTicketingOrganizationPattern  = AdminTicketingInErrorPattern + "/organizations/:organizationId"
	AdminTicketingResynchronizePattern = AdminTicketingOrganizationPattern + "/resynchronize"
)

// TicketingSystems is the organization's list of ticketing systems.
func (Paths) TicketingSystems(orgID uuid.UUID) string {
	return Fill(TicketingSystemsPattern, orgID.String())
}

// TicketingConnect is the form connecting a ticketing system.
func (Paths) TicketingConnect(orgID uuid.UUID) string {
	return Fill(TicketingConnectPattern, orgID.String())
}

// TicketingConnectSystem is the connect form showing the fields of system.
func (Paths) TicketingConnectSystem(orgID uuid.UUID, system string) string {
	return WithQuery(Fill(TicketingConnectPattern, orgID.String()), "system", system)
}

// TicketingSystemEdit is the form replacing a system's credentials, and where
// it posts.
func (Paths) TicketingSystemEdit(orgID, systemID uuid.UUID) string {
	return Fill(TicketingSystemEditPattern, orgID.String(), systemID.String())
}

// TicketingSystemDisconnect disconnects a system (POST).
func (Paths) TicketingSystemDisconnect(orgID, systemID uuid.UUID) string {
	return Fill(TicketingSystemDisconnectPattern, orgID.String(), systemID.String())
}

// Synchronize enqueues a synchronization of the organization (POST).
func (Paths) Synchronize(orgID uuid.UUID) string {
	return Fill(SynchronizePattern, orgID.String())
}

// SynchronizationRun is the progress of a synchronization run.
func (Paths) SynchronizationRun(orgID, runID uuid.UUID) string {
	return Fill(SynchronizationRunPattern, orgID.String(), runID.String())
}

// AdminTicketingInError lists the ticketing systems in error.
func (Paths) AdminTicketingInError() string { return AdminTicketingInErrorPattern }

// AdminTicketingOrganization is the ticketing fragment of an organization's
// admin page.
func (Paths) AdminTicketingOrganization(orgID uuid.UUID) string {
	return Fill(AdminTicketingOrganizationPattern, orgID.String())
}

// AdminTicketingResynchronize enqueues a synchronization for an admin (POST).
func (Paths) AdminTicketingResynchronize(orgID uuid.UUID) string {
	return Fill(AdminTicketingResynchronizePattern, orgID.String())
}
