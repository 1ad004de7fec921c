package organizations

import (
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/web"
	"assistant-declaration/config"
)

// Handlers serves the organization pages.
type Handlers struct {
	svc *Service
	// Slot adds the data of partials/organizations/series-slot to the
	// organization page; set by the app to package series, which imports
	// this package and so cannot be called from it.
	Slot func(c *fiber.Ctx) (fiber.Map, error)
}

// NewHandlers builds the handlers; the directories are the real APIs or the
// mock depending on cfg (see NewDirectories).
func NewHandlers(cfg *config.Config, idb bun.IDB) *Handlers {
	companies, addresses := NewDirectories(cfg)
	return &Handlers{svc: &Service{DB: idb, Companies: companies, Addresses: addresses, BaseURL: cfg.BaseURL}}
}

const organizationLocal = "organizations.organization"

// RequireCollaborator loads the :organizationId of the route and lets only its
// collaborators through, with the organization available to the next handlers
// through CurrentOrganization. Everybody else, admins acting as themselves
// included, and malformed ids get 404: existence never leaks. It must come
// after web.RequireUser.
func (h *Handlers) RequireCollaborator(c *fiber.Ctx) error {
	user := web.CurrentUser(c)
	id, err := uuid.Parse(c.Params("organizationId"))
	if user == nil || err != nil {
		return web.ErrNotFound
	}
	org, err := GetForCollaborator(c.UserContext(), h.svc.DB, id, user.ID)
	if err != nil {
		return err
	}
	if org == nil {
		return web.ErrNotFound
	}
	c.Locals(organizationLocal, org)
	return c.Next()
}

// CurrentOrganization is the organization RequireCollaborator loaded.
func CurrentOrganization(c *fiber.Ctx) *Organization {
	org, _ := c.Locals(organizationLocal).(*Organization)
	return org
}

// Show is the organization's dashboard. The event series ("spectacles") and
// the synchronization button belong to the ticketing/declaration domains:
// they fill the partials/organizations/series-slot template.
func (h *Handlers) Show(c *fiber.Ctx) error {
	org := CurrentOrganization(c)
	data := fiber.Map{
		"Title":        web.Localizer(c).T("organizations.show.title"),
		"Organization": org,
		"SettingsURL":  SettingsPath(org.ID),
	}
	if h.Slot != nil {
		slot, err := h.Slot(c)
		if err != nil {
			return err
		}
		for k, v := range slot {
			data[k] = v
		}
	}
	return web.Render(c, 0, "pages/organizations/show", "", data)
}
