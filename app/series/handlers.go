package series

import (
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/organizations"
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/web"
)

// Handlers serves the list of series and the manual series pages. Every
// route goes through organizations.RequireCollaborator.
type Handlers struct {
	db bun.IDB
}

// NewHandlers builds the handlers.
func NewHandlers(idb bun.IDB) *Handlers { return &Handlers{db: idb} }

// OrganizationPath is the organization page, which shows the list of series
// under filter f (none: the default one).
func OrganizationPath(organizationID uuid.UUID, f Filter) string {
	p := organizations.OrganizationPath(organizationID)
	if f != "" {
		p += "?filter=" + url.QueryEscape(string(f))
	}
	return p
}

// listPath is the fragment of the list under filter f, for htmx.
func listPath(organizationID uuid.UUID, f Filter) string {
	return organizations.OrganizationPath(organizationID) + "/series?filter=" + url.QueryEscape(string(f))
}

// listView is what partials/series/list shows.
type listView struct {
	OrganizationID uuid.UUID
	List           *List
	Sync           *SyncState
}

// FilterURL is the page URL of a tab, for links without JavaScript and the
// browser history.
func (v *listView) FilterURL(f Filter) string { return OrganizationPath(v.OrganizationID, f) }

// FragmentURL is the list fragment of a tab, for htmx.
func (v *listView) FragmentURL(f Filter) string { return listPath(v.OrganizationID, f) }

// Filters are the tabs, in display order.
func (v *listView) Filters() []Filter { return Filters }

// NewURL is the form adding a manual serie.
func (v *listView) NewURL() string {
	return organizations.OrganizationPath(v.OrganizationID) + "/series/new"
}

// ConnectURL is where a ticketing system is connected: package
// synchronization's connect form (synchronization.ConnectPath).
func (v *listView) ConnectURL() string {
	return synchronization.ConnectPath(v.OrganizationID)
}

// SeriePath is the base of a serie's pages.
func (v *listView) SeriePath(id uuid.UUID) string { return SeriePath(v.OrganizationID, id) }

// SeriePath is the base path of a serie's pages.
func SeriePath(organizationID, serieID uuid.UUID) string {
	return organizations.OrganizationPath(organizationID) + "/serie/" + serieID.String()
}

func (h *Handlers) listView(c *fiber.Ctx) (*listView, error) {
	org := organizations.CurrentOrganization(c)
	ctx, now := c.UserContext(), time.Now()
	list, err := ListForOrganization(ctx, h.db, org.ID, ParseFilter(c.Query("filter")), now)
	if err != nil {
		return nil, err
	}
	sync, err := GetSyncState(ctx, h.db, org.ID, now)
	if err != nil {
		return nil, err
	}
	return &listView{OrganizationID: org.ID, List: list, Sync: sync}, nil
}

// Slot gives the organization page the data of its series slot
// (partials/organizations/series-slot): package organizations calls it
// through organizations.Handlers.Slot, as it cannot import this package.
func (h *Handlers) Slot(c *fiber.Ctx) (fiber.Map, error) {
	v, err := h.listView(c)
	if err != nil {
		return nil, err
	}
	return fiber.Map{"Series": v}, nil
}

// List answers the tabs of the list: the list fragment for htmx; the
// organization page under that filter otherwise.
func (h *Handlers) List(c *fiber.Ctx) error {
	org := organizations.CurrentOrganization(c)
	if !web.IsFragmentRequest(c) {
		return c.Redirect(OrganizationPath(org.ID, ParseFilter(c.Query("filter"))), fiber.StatusSeeOther)
	}
	v, err := h.listView(c)
	if err != nil {
		return err
	}
	return web.Render(c, 0, "", "partials/series/list", fiber.Map{"Series": v})
}
