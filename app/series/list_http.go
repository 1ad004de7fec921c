package series

import (
	"strconv"
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
	// Tabs are the filters, in display order.
	Tabs []Tab
	// Fragment is set when the list is rendered alone for htmx: it then also
	// swaps the synchronization status of the page out of band.
	Fragment bool
}

// Tab is one tab of the list, all the template shows of it computed here:
// each expression a template evaluates goes through reflection, and the tabs
// were the larger part of the organization page's rendering.
type Tab struct {
	Filter Filter
	// URL is the page under this tab, for links without JavaScript and the
	// browser history; FragmentURL the list alone, for htmx.
	URL, FragmentURL string
	Count            int
	Current          bool
	// Badge is the red count of a tab counting alerts when there are some
	// ("99+" beyond 99), "" otherwise.
	Badge string
}

// tabs are the tabs of list l of the organization orgID.
func tabs(orgID uuid.UUID, l *List) []Tab {
	t := make([]Tab, len(Filters))
	for i, f := range Filters {
		n := l.Counts[f]
		t[i] = Tab{Filter: f, URL: paths.To.OrganizationFiltered(orgID, string(f)), FragmentURL: paths.To.Series(orgID, string(f)),
			Count: n, Current: f == l.Filter}
		switch {
		case !f.CountsAlerts() || n == 0:
		case n > 99:
			t[i].Badge = "99+"
		default:
			t[i].Badge = strconv.Itoa(n)
		}
	}
	return t
}

// FragmentURL is the list fragment of a tab, for htmx.
func (v *ListView) FragmentURL(f Filter) string { return paths.To.Series(v.OrganizationID, string(f)) }

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
	for i := range list.Series {
		list.Series[i].DeclarationURL = paths.To.Declaration(org.ID, list.Series[i].ID)
	}
	return &ListView{OrganizationID: org.ID, List: list, Sync: sync, LatestRun: run, Tabs: tabs(org.ID, list)}, nil
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
