package paths

import "github.com/google/uuid"

// Route patterns of the organizations domain (package organizations).
// "create" is registered before ":organizationId" so it is never taken for an
// id.
const (
	OrganizationCreateRoute          = "/dashboard/organization/create"
	OrganizationCreateCompaniesRoute = OrganizationCreateRoute + "/companies"
	OrganizationCreateAddressesRoute = OrganizationCreateRoute + "/addresses"
	OrganizationRoute                = "/dashboard/organization/:organizationId"
	OrganizationSettingsRoute        = OrganizationRoute + "/settings"
	OrganizationIdentifiersRoute     = OrganizationSettingsRoute + "/identifiers"
	OrganizationInvitationsRoute     = OrganizationRoute + "/invitations"
	OrganizationRevokeRoute          = OrganizationInvitationsRoute + "/:invitationId/revoke"
	OrganizationLeaveRoute           = OrganizationRoute + "/leave"
	InvitationRoute                  = "/invitations/:token"
	InvitationAcceptRoute            = InvitationRoute + "/accept"
	// The answers to an invitation from the invited person's dashboard,
	// where they are known by their id (the token is only in the email).
	DashboardInvitationRoute        = "/dashboard/invitations/:invitationId"
	DashboardInvitationAcceptRoute  = DashboardInvitationRoute + "/accept"
	DashboardInvitationDeclineRoute = DashboardInvitationRoute + "/decline"

	// French paths of the original application, kept for old links.
	OrganizationCreateFrenchRoute     = "/tableau-de-bord/organisation/creer"
	OrganizationCreateCityFrenchRoute = "/tableau-de-bord/collectivite/creer"
	OrganizationFrenchRoute           = "/tableau-de-bord/organisation/:organizationId"
	OrganizationSettingsFrenchRoute   = OrganizationFrenchRoute + "/parametres"

	// The sign-in and sign-up pages an invitation sends to, and the dashboard
	// a collaborator who left lands on (package accounts' pages).
	invitationSignInRoute = "/auth/sign-in"
	invitationSignUpRoute = "/auth/sign-up"
	afterLeaveRoute       = "/dashboard"
)

// OrganizationCreate is the organization creation page; pairs (name, value)
// fill its query (a search, a chosen company or address).
func (Paths) OrganizationCreate(pairs ...string) string {
	return WithQuery(OrganizationCreateRoute, pairs...)
}

// OrganizationCreateCompanies is the company look-up fragment.
func (Paths) OrganizationCreateCompanies() string { return OrganizationCreateCompaniesRoute }

// OrganizationCreateAddresses is the address look-up fragment.
func (Paths) OrganizationCreateAddresses() string { return OrganizationCreateAddressesRoute }

// Organization is an organization's page.
func (Paths) Organization(orgID uuid.UUID) string { return Fill(OrganizationRoute, orgID.String()) }

// OrganizationFiltered is an organization's page with its series list under
// filter (empty: the default tab).
func (p Paths) OrganizationFiltered(orgID uuid.UUID, filter string) string {
	return WithQuery(p.Organization(orgID), "filter", filter)
}

// OrganizationSettings is an organization's settings page.
func (Paths) OrganizationSettings(orgID uuid.UUID) string {
	return Fill(OrganizationSettingsRoute, orgID.String())
}

// OrganizationIdentifiers is where the SACEM and SACD ids form posts.
func (Paths) OrganizationIdentifiers(orgID uuid.UUID) string {
	return Fill(OrganizationIdentifiersRoute, orgID.String())
}

// OrganizationInvitations is where the invitation form posts.
func (Paths) OrganizationInvitations(orgID uuid.UUID) string {
	return Fill(OrganizationInvitationsRoute, orgID.String())
}

// OrganizationRevoke is where the button revoking an invitation posts.
func (Paths) OrganizationRevoke(orgID, invitationID uuid.UUID) string {
	return Fill(OrganizationRevokeRoute, orgID.String(), invitationID.String())
}

// OrganizationLeave is where the "leave" button posts.
func (Paths) OrganizationLeave(orgID uuid.UUID) string {
	return Fill(OrganizationLeaveRoute, orgID.String())
}

// AfterLeave is the page a collaborator who left an organization lands on.
func (Paths) AfterLeave() string { return afterLeaveRoute }

// Invitation is the landing page of an invitation link.
func (Paths) Invitation(token string) string { return Fill(InvitationRoute, token) }

// InvitationAccept is where the landing page's "accept" button posts.
func (Paths) InvitationAccept(token string) string { return Fill(InvitationAcceptRoute, token) }

// DashboardInvitationAccept is where an invitation notice's "accept" button
// posts.
func (Paths) DashboardInvitationAccept(id uuid.UUID) string {
	return Fill(DashboardInvitationAcceptRoute, id.String())
}

// DashboardInvitationDecline is where an invitation notice's "decline"
// button posts.
func (Paths) DashboardInvitationDecline(id uuid.UUID) string {
	return Fill(DashboardInvitationDeclineRoute, id.String())
}

// InvitationSignIn is the sign-in page coming back to the invitation.
func (p Paths) InvitationSignIn(token string) string {
	return WithQuery(invitationSignInRoute, "callbackUrl", p.Invitation(token))
}

// InvitationSignUp is the sign-up page with the invited address filled in.
func (Paths) InvitationSignUp(email string) string {
	return WithQuery(invitationSignUpRoute, "email", email)
}
