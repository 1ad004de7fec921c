package app

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/accounts"
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
	f.Get("/", a.public.Home)
	for _, p := range public.Pages {
		f.Get(p.Path, a.public.Content(p))
		f.Get(p.Alias, a.public.Content(p))
	}
	f.Get("/lang/:lang", mw.SwitchLanguage)

	// Accounts: sign-up, sign-in, passwords, settings, dashboard. Visitor-only
	// pages send signed-in users to their dashboard; password change and
	// account deletion are refused while impersonating (P9).
	acc := a.accounts
	get := func(paths []string, handlers ...fiber.Handler) {
		for _, p := range paths {
			f.Get(p, handlers...)
		}
	}
	get([]string{"/auth/sign-in", "/authentification/connexion"}, acc.ShowSignIn) // visitor-only, once ?token= is confirmed
	f.Post("/auth/sign-in", acc.SignIn)
	f.Post("/auth/sign-out", acc.SignOut)
	get([]string{"/auth/sign-up", "/authentification/inscription"}, accounts.VisitorOnly, acc.ShowSignUp)
	f.Post("/auth/sign-up", acc.SignUp)
	get([]string{"/auth/sign-up/sent", "/authentification/inscription/envoyee"}, acc.ShowSignUpSent)
	get([]string{"/auth/sign-up/resend", "/authentification/inscription/renvoyer"}, acc.ShowResend)
	f.Post("/auth/sign-up/resend", acc.Resend)
	get([]string{"/auth/password/retrieve", "/authentification/mot-de-passe/recuperer"}, acc.ShowRetrieve)
	f.Post("/auth/password/retrieve", acc.Retrieve)
	get([]string{"/auth/password/reset", "/authentification/mot-de-passe/reinitialiser"}, acc.ShowReset)
	f.Post("/auth/password/reset", acc.Reset)
	f.Get("/auth/proconnect", accounts.VisitorOnly, acc.ProConnectBegin)
	f.Get("/auth/proconnect/callback", acc.ProConnectCallback)
	f.Get("/auth/proconnect/signed-out", acc.ProConnectSignedOut)
	get([]string{"/dashboard", "/tableau-de-bord"}, web.RequireUser, acc.Dashboard)
	get([]string{"/account/settings", "/compte/parametres"}, web.RequireUser, acc.Settings)
	f.Post("/account/settings/profile", web.RequireUser, acc.UpdateProfile)
	f.Post("/account/settings/password", web.RequireUser, web.RefuseWhileImpersonating, acc.ChangePassword)
	get([]string{"/account/delete", "/compte/supprimer"}, web.RequireUser, web.RefuseWhileImpersonating, acc.ShowDelete)
	f.Post("/account/delete", web.RequireUser, web.RefuseWhileImpersonating, acc.Delete)

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

	// Ticketing systems of an organization (package synchronization): list,
	// connect, update credentials, disconnect, synchronize and its progress.
	tix := a.synchronization
	get([]string{paths.TicketingSystemsPattern, paths.TicketingSystemsFrenchPattern},
		web.RequireUser, orgs.RequireCollaborator, tix.List)
	get([]string{paths.TicketingConnectPattern, paths.TicketingConnectFrenchPattern, paths.TicketingConnectShortPattern},
		web.RequireUser, orgs.RequireCollaborator, tix.ShowConnect)
	f.Post(paths.TicketingConnectPattern, web.RequireUser, orgs.RequireCollaborator, tix.Connect)
	get([]string{paths.TicketingSystemEditPattern, paths.TicketingSystemEditFrenchPattern},
		web.RequireUser, orgs.RequireCollaborator, tix.ShowUpdate)
	f.Post(paths.TicketingSystemEditPattern, web.RequireUser, orgs.RequireCollaborator, tix.Update)
	f.Post(paths.TicketingSystemDisconnectPattern, web.RequireUser, orgs.RequireCollaborator, tix.Disconnect)
	f.Post(paths.SynchronizePattern, web.RequireUser, orgs.RequireCollaborator, tix.Synchronize)
	f.Get(paths.SynchronizationRunPattern, web.RequireUser, orgs.RequireCollaborator, tix.Progress)

	// Documents of a serie's declaration (package attachments, decision D6):
	// collaborators upload, retype, delete and download them; admins download
	// them from the back office (RequireAdmin here: the /admin group below
	// is registered after this route).
	att := a.attachments
	f.Post(paths.AttachmentsUpload, web.RequireUser, orgs.RequireCollaborator, att.Upload)
	f.Post(paths.AttachmentType, web.RequireUser, orgs.RequireCollaborator, att.ChangeType)
	f.Post(paths.AttachmentDelete, web.RequireUser, orgs.RequireCollaborator, att.Delete)
	f.Get(paths.Attachment, web.RequireUser, orgs.RequireCollaborator, att.Download)
	f.Get(paths.AdminAttachment, web.RequireAdmin, att.AdminDownload)

	// Admin back office (package admin, P8). Stopping an impersonation comes
	// before the /admin group: RequireAdmin refuses impersonating sessions, and
	// the handler checks the real user is an admin instead. The group's
	// RequireAdmin guards every /admin path registered after it: each is 404
	// for non-admins.
	f.Post(paths.AdminImpersonationStopPattern, web.RequireUser, a.admin.StopImpersonation)
	f.Group("/admin", web.RequireAdmin)
	f.Get(paths.AdminOrganizationsPattern, a.admin.Organizations)
	f.Get(paths.AdminOrganizationsExportPattern, a.admin.ExportOrganizations)
	f.Get(paths.AdminOrganizationPattern, a.admin.Organization)
	f.Get(paths.AdminUsersPattern, a.admin.Users)
	f.Get(paths.AdminUsersExportPattern, a.admin.ExportUsers)
	f.Get(paths.AdminUserPattern, a.admin.User)
	f.Post(paths.AdminUserDisablePattern, a.admin.DisableUser)
	f.Post(paths.AdminUserEnablePattern, a.admin.EnableUser)
	f.Post(paths.AdminImpersonationStartPattern, a.admin.StartImpersonation)
	f.Get(paths.AdminAuditPattern, a.admin.Audit)
	f.Get(paths.AdminTicketingInErrorPattern, a.adminSynchronization.InError)
	f.Get(paths.AdminTicketingOrganizationPattern, a.adminSynchronization.Organization)
	f.Post(paths.AdminTicketingResynchronizePattern, a.adminSynchronization.Resynchronize)

	// Development tools (dev and test modes only).
	if a.catcher != nil {
		f.Get("/dev/mails", a.showCaughtMails)
		f.Get("/dev/mails.json", a.catcher.HandleJSON)
	}

	f.Use(public.NotFound)
}

// showCaughtMails lists the emails the development mail catcher received.
func (a *App) showCaughtMails(c *fiber.Ctx) error {
	return web.Render(c, 0, "pages/dev/mails", "", fiber.Map{"Title": "Mails", "Mails": a.catcher.Messages()})
}
