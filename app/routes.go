package app

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/public"
	"assistant-declaration/app/web"
)

// routes is the one route table of the application: every method and path,
// grouped by domain. French aliases sit next to their English path. The
// authorization test walks this table, so a new route must be added there too.
func (a *App) routes(f *fiber.App) {
	mw := a.middleware

	// Probes and files: no session, no database beyond what they need.
	f.Get("/healthz", public.Healthz)
	f.Get("/readyz", public.Readyz(a.db))
	f.Get("/robots.txt", public.Robots(a.cfg.IsProd()))
	f.Get("/.well-known/security.txt", public.SecurityTxt(a.cfg.SecurityContact))
	a.assets.Install(f)

	mw.InstallSession(f)

	// Public pages.
	f.Get(paths.HomeRoute, a.public.Home)
	f.Get(paths.ImpactRoute, a.statistics.Impact)
	for _, p := range public.Pages {
		f.Get(p.Path, a.public.Content(p))
		f.Get(p.Alias, a.public.Content(p))
	}
	f.Get(paths.LangRoute, mw.SwitchLanguage)

	// Accounts: sign-up, sign-in, passwords, settings, dashboard. Visitor-only
	// pages send signed-in users to their dashboard; password change and
	// account deletion are refused while impersonating (decision P9, docs/decisions.md).
	acc := a.accounts
	get := func(patterns []string, handlers ...fiber.Handler) {
		for _, p := range patterns {
			f.Get(p, handlers...)
		}
	}
	get([]string{paths.SignInRoute, paths.SignInFrenchRoute}, acc.ShowSignIn) // visitor-only, once ?token= is confirmed
	f.Post(paths.SignInRoute, acc.SignIn)
	f.Post(paths.SignOutRoute, acc.SignOut)
	get([]string{paths.SignUpRoute, paths.SignUpFrenchRoute}, accounts.VisitorOnly, acc.ShowSignUp)
	f.Post(paths.SignUpRoute, acc.SignUp)
	get([]string{paths.SignUpSentRoute, paths.SignUpSentFrenchRoute}, acc.ShowSignUpSent)
	get([]string{paths.SignUpResendRoute, paths.SignUpResendFrenchRoute}, acc.ShowResend)
	f.Post(paths.SignUpResendRoute, acc.Resend)
	get([]string{paths.PasswordRetrieveRoute, paths.PasswordRetrieveFrenchRoute}, acc.ShowRetrieve)
	f.Post(paths.PasswordRetrieveRoute, acc.Retrieve)
	get([]string{paths.PasswordResetRoute, paths.PasswordResetFrenchRoute}, acc.ShowReset)
	f.Post(paths.PasswordResetRoute, acc.Reset)
	f.Get(paths.ProConnectRoute, accounts.VisitorOnly, acc.ProConnectBegin)
	f.Get(paths.ProConnectCallbackRoute, acc.ProConnectCallback)
	f.Get(paths.ProConnectSignedOutRoute, acc.ProConnectSignedOut)
	get([]string{paths.DashboardRoute, paths.DashboardFrenchRoute}, web.RequireUser, acc.Dashboard)
	get([]string{paths.SettingsRoute, paths.SettingsFrenchRoute}, web.RequireUser, acc.Settings)
	f.Post(paths.SettingsProfileRoute, web.RequireUser, acc.UpdateProfile)
	f.Post(paths.SettingsPasswordRoute, web.RequireUser, web.RefuseWhileImpersonating, acc.ChangePassword)
	f.Post(paths.SettingsRemindersRoute, web.RequireUser, acc.UpdateReminders)
	get([]string{paths.AccountDeleteRoute, paths.AccountDeleteFrenchRoute}, web.RequireUser, web.RefuseWhileImpersonating, acc.ShowDelete)
	f.Post(paths.AccountDeleteRoute, web.RequireUser, web.RefuseWhileImpersonating, acc.Delete)
	f.Get(paths.AccountDeleteProConnectRoute, web.RequireUser, web.RefuseWhileImpersonating, acc.ProConnectReauthenticate)

	// Organizations: creation, dashboard page, settings, collaborators and
	// invitations. "create" comes before ":organizationId" so it is not taken
	// for an id; every route with :organizationId goes through
	// RequireCollaborator (404 for anyone else).
	orgs := a.organizations
	for _, p := range []string{paths.OrganizationCreateRoute, paths.OrganizationCreateFrenchRoute, paths.OrganizationCreateCityFrenchRoute} {
		f.Get(p, web.RequireUser, orgs.New)
	}
	f.Get(paths.OrganizationCreateCompaniesRoute, web.RequireUser, orgs.CompanyResults)
	f.Get(paths.OrganizationCreateAddressesRoute, web.RequireUser, orgs.AddressResults)
	f.Post(paths.OrganizationCreateRoute, web.RequireUser, orgs.Create)
	for _, p := range []string{paths.OrganizationRoute, paths.OrganizationFrenchRoute} {
		f.Get(p, web.RequireUser, orgs.RequireCollaborator, orgs.Show)
	}
	for _, p := range []string{paths.OrganizationSettingsRoute, paths.OrganizationSettingsFrenchRoute} {
		f.Get(p, web.RequireUser, orgs.RequireCollaborator, orgs.Settings)
	}
	f.Post(paths.OrganizationIdentifiersRoute, web.RequireUser, orgs.RequireCollaborator, orgs.UpdateIdentifiers)
	f.Post(paths.OrganizationInvitationsRoute, web.RequireUser, orgs.RequireCollaborator, orgs.Invite)
	f.Post(paths.OrganizationRevokeRoute, web.RequireUser, orgs.RequireCollaborator, orgs.RevokeInvitation)
	f.Post(paths.OrganizationLeaveRoute, web.RequireUser, orgs.RequireCollaborator, orgs.Leave)
	f.Get(paths.InvitationRoute, orgs.ShowInvitation)
	f.Post(paths.InvitationAcceptRoute, web.RequireUser, orgs.AcceptInvitation)
	f.Post(paths.DashboardInvitationAcceptRoute, web.RequireUser, orgs.AcceptInvitationByID)
	f.Post(paths.DashboardInvitationDeclineRoute, web.RequireUser, orgs.DeclineInvitation)

	// Series ("spectacles") of an organization: the list's tabs (htmx
	// fragment) and the series typed by hand (package series).
	ser := a.series
	f.Get(paths.SeriesRoute, web.RequireUser, orgs.RequireCollaborator, ser.List)
	f.Get(paths.SerieNewRoute, web.RequireUser, orgs.RequireCollaborator, ser.New)
	f.Post(paths.SeriesRoute, web.RequireUser, orgs.RequireCollaborator, ser.Create)
	f.Get(paths.SerieEditRoute, web.RequireUser, orgs.RequireCollaborator, ser.Edit)
	f.Post(paths.SerieEditRoute, web.RequireUser, orgs.RequireCollaborator, ser.Update)
	f.Get(paths.SerieDeleteRoute, web.RequireUser, orgs.RequireCollaborator, ser.ConfirmDelete)
	f.Post(paths.SerieDeleteRoute, web.RequireUser, orgs.RequireCollaborator, ser.Delete)

	// The declaration form of a serie (package declarations): the page, the
	// whole form's post ("Enregistrer" without JavaScript), a group's post
	// (htmx) and the producer and address look-ups.
	decl := a.declarations
	get([]string{paths.DeclarationRoute, paths.DeclarationFrenchRoute}, web.RequireUser, orgs.RequireCollaborator, decl.Show)
	f.Post(paths.DeclarationRoute, web.RequireUser, orgs.RequireCollaborator, decl.SaveAll)
	f.Post(paths.DeclarationFieldsRoute, web.RequireUser, orgs.RequireCollaborator, decl.SaveFields)
	f.Get(paths.DeclarationAddressesRoute, web.RequireUser, orgs.RequireCollaborator, decl.Addresses)
	f.Get(paths.DeclarationCompaniesRoute, web.RequireUser, orgs.RequireCollaborator, decl.Companies)

	// Transmission of a serie's declaration (package transmissions, decisions
	// D2, D3, D7 and D13 in docs/decisions.md): "Déclarer"/"Réessayer" (refused while
	// impersonating, decision P9), its progress and the SACEM PDF.
	tr := a.transmissions
	for _, p := range []string{paths.TransmitRoute, paths.TransmitFrenchRoute} {
		f.Post(p, web.RequireUser, web.RefuseWhileImpersonating, orgs.RequireCollaborator, tr.Transmit)
	}
	get([]string{paths.TransmissionRoute, paths.TransmissionFrenchRoute}, web.RequireUser, orgs.RequireCollaborator, tr.Progress)
	f.Get(paths.DeclarationSacemPDFRoute, web.RequireUser, orgs.RequireCollaborator, tr.SacemPDF)

	// Ticketing systems of an organization (package synchronization): list,
	// connect, update credentials, disconnect, synchronize and its progress.
	tix := a.synchronization
	get([]string{paths.TicketingSystemsRoute, paths.TicketingSystemsFrenchRoute},
		web.RequireUser, orgs.RequireCollaborator, tix.List)
	get([]string{paths.TicketingConnectRoute, paths.TicketingConnectFrenchRoute, paths.TicketingConnectShortRoute},
		web.RequireUser, orgs.RequireCollaborator, tix.ShowConnect)
	f.Post(paths.TicketingConnectRoute, web.RequireUser, orgs.RequireCollaborator, tix.Connect)
	get([]string{paths.TicketingSystemEditRoute, paths.TicketingSystemEditFrenchRoute},
		web.RequireUser, orgs.RequireCollaborator, tix.ShowUpdate)
	f.Post(paths.TicketingSystemEditRoute, web.RequireUser, orgs.RequireCollaborator, tix.Update)
	f.Post(paths.TicketingSystemDisconnectRoute, web.RequireUser, orgs.RequireCollaborator, tix.Disconnect)
	f.Post(paths.SynchronizeRoute, web.RequireUser, orgs.RequireCollaborator, tix.Synchronize)
	f.Get(paths.SynchronizationRunRoute, web.RequireUser, orgs.RequireCollaborator, tix.Progress)

	// Documents of a serie's declaration (package attachments, decision D6, docs/decisions.md):
	// collaborators upload, retype, delete and download them; admins download
	// them from the back office (RequireAdmin here: the /admin group below
	// is registered after this route).
	att := a.attachments
	f.Post(paths.AttachmentsRoute, web.RequireUser, orgs.RequireCollaborator, att.Upload)
	f.Post(paths.AttachmentTypeRoute, web.RequireUser, orgs.RequireCollaborator, att.ChangeType)
	f.Post(paths.AttachmentDeleteRoute, web.RequireUser, orgs.RequireCollaborator, att.Delete)
	f.Get(paths.AttachmentRoute, web.RequireUser, orgs.RequireCollaborator, att.Download)
	f.Get(paths.AdminAttachmentRoute, web.RequireAdmin, att.AdminDownload)

	// Admin back office (package admin, decision P8, docs/decisions.md). Stopping an impersonation comes
	// before the /admin group: RequireAdmin refuses impersonating sessions, and
	// the handler checks the real user is an admin instead. The group's
	// RequireAdmin guards every /admin path registered after it: each is 404
	// for non-admins.
	f.Post(paths.AdminImpersonationStopRoute, web.RequireUser, a.admin.StopImpersonation)
	f.Group("/admin", web.RequireAdmin)
	f.Get(paths.AdminOrganizationsRoute, a.admin.Organizations)
	f.Get(paths.AdminOrganizationsExportRoute, a.admin.ExportOrganizations)
	f.Get(paths.AdminOrganizationRoute, a.admin.Organization)
	f.Get(paths.AdminUsersRoute, a.admin.Users)
	f.Get(paths.AdminUsersExportRoute, a.admin.ExportUsers)
	f.Get(paths.AdminUserRoute, a.admin.User)
	f.Post(paths.AdminUserDisableRoute, a.admin.DisableUser)
	f.Post(paths.AdminUserEnableRoute, a.admin.EnableUser)
	f.Post(paths.AdminImpersonationStartRoute, a.admin.StartImpersonation)
	f.Get(paths.AdminAuditRoute, a.admin.Audit)
	f.Get(paths.AdminDeclarationsRoute, a.admin.Declarations)
	f.Get(paths.AdminDeclarationsExportRoute, a.admin.ExportDeclarations)
	f.Post(paths.AdminDeclarationRetryRoute, a.admin.RetryDeclaration)
	f.Get(paths.AdminSettingsRoute, a.admin.Settings)
	f.Get(paths.AdminJobsRoute, a.admin.Jobs)
	f.Get(paths.AdminStatisticsRoute, a.statistics.Admin)
	f.Post(paths.AdminJobRunRoute, a.admin.RunJob)
	f.Post(paths.AdminMaintenanceRoute, a.admin.PublishMaintenance)
	f.Post(paths.AdminMaintenanceClearRoute, a.admin.ClearMaintenance)
	f.Get(paths.DeclarationAdminRoute, a.declarations.ShowAdmin)
	f.Get(paths.AdminTicketingInErrorRoute, a.adminSynchronization.InError)
	f.Get(paths.AdminTicketingOrganizationRoute, a.adminSynchronization.Organization)
	f.Post(paths.AdminTicketingResynchronizeRoute, a.adminSynchronization.Resynchronize)
	f.Get(paths.AdminAgenciesRoute, a.agencies.Admin)

	// Development tools (dev and test modes only).
	if a.catcher != nil {
		f.Get(paths.DevMailsRoute, a.showCaughtMails)
		f.Get(paths.DevMailsJSONRoute, a.catcher.HandleJSON)
	}

	f.Use(public.NotFound)
}

// caughtMailsView lists the emails the development mail catcher received.
type caughtMailsView struct {
	web.Layout
	Mails []mail.CaughtMail
}

// showCaughtMails lists the emails the development mail catcher received.
func (a *App) showCaughtMails(c *fiber.Ctx) error {
	return web.Render(c, 0, "pages/dev/mails", "", &caughtMailsView{Layout: web.Layout{Title: "Mails"}, Mails: a.catcher.Messages()})
}
