package accounts

import (
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// dashboardView welcomes a user who has no organization yet.
type dashboardView struct {
	web.Layout
	CreatePath string
}

// Dashboard opens the user's organization, or welcomes a user who has none.
func (h *Handlers) Dashboard(c *fiber.Ctx) error {
	orgID, err := organizations.FirstForUser(c.UserContext(), h.db, web.CurrentUser(c).ID)
	if err != nil {
		return err
	}
	if orgID != uuid.Nil {
		return c.Redirect(paths.To.Organization(orgID), fiber.StatusSeeOther)
	}
	return web.Render(c, 0, "pages/accounts/dashboard", "", &dashboardView{Layout: web.Layout{Title: web.Localizer(c).T("accounts.dashboard.title")}, CreatePath: paths.To.OrganizationCreate()})
}
