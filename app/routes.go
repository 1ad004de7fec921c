package app

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/organizations"
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
	// account deletion are refused while impersonating (decision P9, docs/decisions.md).
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
	for _, p := range []string{organizations.CreatePath, "/tableau-de-bord/organisation/creer", "/tableau-de-bord/collectivite/creer"} {
		f.Get(p, web.RequireUser, orgs.New)
	}
	f.Get(organizations.CreatePath+"/companies", web.RequireUser, orgs.CompanyResults)
	f.Get(organizations.CreatePath+"/addresses", web.RequireUser, orgs.AddressResults)
	f.Post(organizations.CreatePath, web.RequireUser, orgs.Create)
	for _, p := range []string{"/dashboard/organization/:organizationId", "/tableau-de-bord/organisation/:organizationId"} {
		f.Get(p, web.RequireUser, orgs.RequireCollaborator, orgs.Show)
	}
	for _, p := range []string{"/dashboard/organization/:organizationId/settings", "/tableau-de-bord/organisation/:organizationId/parametres"} {
		f.Get(p, web.RequireUser, orgs.RequireCollaborator, orgs.Settings)
	}
	f.Post("/dashboard/organization/:organizationId/settings/identifiers", web.RequireUser, orgs.RequireCollaborator, orgs.UpdateIdentifiers)
	f.Post("/dashboard/organization/:organizationId/invitations", web.RequireUser, orgs.RequireCollaborator, orgs.Invite)
	f.Post("/dashboard/organization/:organizationId/invitations/:invitationId/revoke", web.RequireUser, orgs.RequireCollaborator, orgs.RevokeInvitation)
	f.Post("/dashboard/organization/:organizationId/leave", web.RequireUser, orgs.RequireCollaborator, orgs.Leave)
	f.Get("/invitations/:token", orgs.ShowInvitation)
	f.Post("/invitations/:token/accept", web.RequireUser, orgs.AcceptInvitation)

	// Series ("spectacles") of an organization: the list's tabs (htmx
	// fragment) and the series typed by hand (package series). "series/new"
	// is not under "serie/:eventSerieId", so no id is ever taken for "new".
	ser := a.series
	orgPath := "/dashboard/organization/:organizationId"
	f.Get(orgPath+"/series", web.RequireUser, orgs.RequireCollaborator, ser.List)
	f.Get(orgPath+"/series/new", web.RequireUser, orgs.RequireCollaborator, ser.New)
	f.Post(orgPath+"/series", web.RequireUser, orgs.RequireCollaborator, ser.Create)
	f.Get(orgPath+"/serie/:eventSerieId/edit", web.RequireUser, orgs.RequireCollaborator, ser.Edit)
	f.Post(orgPath+"/serie/:eventSerieId/edit", web.RequireUser, orgs.RequireCollaborator, ser.Update)
	f.Get(orgPath+"/serie/:eventSerieId/delete", web.RequireUser, orgs.RequireCollaborator, ser.ConfirmDelete)
	f.Post(orgPath+"/serie/:eventSerieId/delete", web.RequireUser, orgs.RequireCollaborator, ser.Delete)

	// Ticketing systems of an organization (package synchronization): list,
	// connect, update credentials, disconnect, synchronize and its progress.
	tix := a.ticketing
	get([]string{orgPath + "/ticketing-systems", "/tableau-de-bord/organisation/:organizationId/systemes-de-billetterie"},
		web.RequireUser, orgs.RequireCollaborator, tix.List)
	get([]string{orgPath + "/ticketing-system/connect", "/tableau-de-bord/organisation/:organizationId/systeme-de-billetterie/connexion", orgPath + "/ticketing"},
		web.RequireUser, orgs.RequireCollaborator, tix.ShowConnect)
	f.Post(orgPath+"/ticketing-system/connect", web.RequireUser, orgs.RequireCollaborator, tix.Connect)
	get([]string{orgPath + "/ticketing-system/:ticketingSystemId/edit", "/tableau-de-bord/organisation/:organizationId/systeme-de-billetterie/:ticketingSystemId/editer"},
		web.RequireUser, orgs.RequireCollaborator, tix.ShowUpdate)
	f.Post(orgPath+"/ticketing-system/:ticketingSystemId/edit", web.RequireUser, orgs.RequireCollaborator, tix.Update)
	f.Post(orgPath+"/ticketing-system/:ticketingSystemId/disconnect", web.RequireUser, orgs.RequireCollaborator, tix.Disconnect)
	f.Post(orgPath+"/ticketing-systems/synchronize", web.RequireUser, orgs.RequireCollaborator, tix.Synchronize)
	f.Get(orgPath+"/ticketing-systems/synchronization/:runId", web.RequireUser, orgs.RequireCollaborator, tix.Progress)

	// Admin back office (package admin, decision P8, docs/decisions.md). Stopping an impersonation comes
	// before the /admin group: RequireAdmin refuses impersonating sessions, and
	// the handler checks the real user is an admin instead. Every other /admin
	// route is 404 for non-admins.
	f.Post("/admin/impersonation/stop", web.RequireUser, a.admin.StopImpersonation)
	adm := f.Group("/admin", web.RequireAdmin)
	adm.Get("/", a.admin.Organizations)
	adm.Get("/organizations.csv", a.admin.ExportOrganizations)
	adm.Get("/organizations/:id", a.admin.Organization)
	adm.Get("/users", a.admin.Users)
	adm.Get("/users.csv", a.admin.ExportUsers)
	adm.Get("/users/:id", a.admin.User)
	adm.Post("/users/:id/disable", a.admin.DisableUser)
	adm.Post("/users/:id/enable", a.admin.EnableUser)
	adm.Post("/users/:id/impersonate", a.admin.StartImpersonation)
	adm.Get("/audit", a.admin.Audit)
	adm.Get("/ticketing", a.adminSync.InError)
	adm.Get("/ticketing/organizations/:organizationId", a.adminSync.Organization)
	adm.Post("/ticketing/organizations/:organizationId/resynchronize", a.adminSync.Resynchronize)

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
