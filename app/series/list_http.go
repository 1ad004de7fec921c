package series

import (
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/web"
)

// ListView is the organization's series under one tab with what the list says
// about synchronization: the series panel of the organization page
// (partials/organizations/series-slot) and the list fragment
// (partials/series/list), which both read it as .Series.
type ListView struct {
	OrganizationID uuid.UUID
	List           *List
	Sync           *SyncState
	// LatestRun is the organization's latest synchronization run (nil before
	// the first), read with the list for the synchronization panel.
	LatestRun *synchronization.Run
	// Fragment is set when the list is rendered alone for htmx: it then also
	// swaps the synchronization status of the page out of band.
	Fragment bool
}

// FilterURL is the page URL of a tab, for links without JavaScript and the
// browser history.
func (v *ListView) FilterURL(f Filter) string {
	return paths.To.OrganizationFiltered(v.OrganizationID, string(f))
}

// FragmentURL is the list fragment of a tab, for htmx.
func (v *ListView) FragmentURL(f Filter) string { return paths.To.Series(v.OrganizationID, string(f)) }

// Filters are the tabs, in display order.
func (v *ListView) Filters() []Filter { return Filters }

// NewURL is the form adding a manual serie.
func (v *ListView) NewURL() string { return paths.To.SerieNew(v.OrganizationID) }

// ConnectURL is where a ticketing system is connected: package
// synchronization's connect form.
func (v *ListView) ConnectURL() string { return paths.To.TicketingConnect(v.OrganizationID) }

// listFragment is the list alone, answered to the tabs for htmx.
type listFragment struct {
	web.Layout
	Series *ListView
}

func (h *Handlers) listView(c *fiber.Ctx) (*ListView, error) {
	org := organizations.CurrentOrganization(c)
	ctx, now := c.UserContext(), time.Now()
	list, sync, run, err := Overview(ctx, h.db.Pool, org.ID, ParseFilter(c.Query("filter")), now)
	if err != nil {
		return nil, err
	}
	return &ListView{OrganizationID: org.ID, List: list, Sync: sync, LatestRun: run}, nil
}

// Panel is the series panel of the organization page: package organizations
// gets it through organizations.Handlers.Panels (wired in app/app.go), as it
// cannot import this package.
func (h *Handlers) Panel(c *fiber.Ctx) (*ListView, error) { return h.listView(c) }

// List answers the tabs of the list: the list fragment for htmx; the
// organization page under that filter otherwise.
func (h *Handlers) List(c *fiber.Ctx) error {
	org := organizations.CurrentOrganization(c)
	if !web.IsFragmentRequest(c) {
		return c.Redirect(paths.To.OrganizationFiltered(org.ID, string(ParseFilter(c.Query("filter")))), fiber.StatusSeeOther)
	}
	v, err := h.listView(c)
	if err != nil {
		return err
	}
	v.Fragment = true
	return web.Render(c, 0, "", "partials/series/list", &listFragment{Series: v})
}
