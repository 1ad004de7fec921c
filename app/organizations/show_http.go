package organizations

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/web"
)

// Panels are the sections of the organization page that packages building on
// this one render; it cannot import them, so their views come as interfaces
// and app/app.go fills them (Handlers.Panels). Templates read the fields of
// the dynamic values.
type Panels struct {
	// Series is series' list view (*series.ListView), which
	// partials/organizations/series-slot and partials/series/list read.
	Series SeriesPanel
	// Synchronization is synchronization's panel (its SynchronizeURL and Run,
	// read by partials/ticketing/synchronize). It is the one cross-package
	// panel left untyped (any): the page only hands it to synchronization's
	// own partial.
	Synchronization any
}

// SeriesPanel is the series section of the organization page: the
// organization's series and the links to add one or to connect a ticketing
// system.
type SeriesPanel interface {
	NewURL() string
	ConnectURL() string
}

// showPage is the organization's dashboard page. The sections of Panels are
// fields of the page, as partials/series/list reads .Series both here and in
// the list fragment; fields of its own rather than promoted from an embedded
// Panels, which the templates would look up through every embedded struct
// at each of their many uses.
type showPage struct {
	web.Layout
	Organization    *Organization
	Series          SeriesPanel
	Synchronization any
}

// Show is the organization's dashboard. The event series ("spectacles") and
// the synchronization button belong to the ticketing and declaration domains:
// they come through h.Panels.
func (h *Handlers) Show(c *fiber.Ctx) error {
	org := CurrentOrganization(c)
	// The tab names the organization: a user may have several open.
	v := &showPage{Layout: web.Layout{Title: org.Name, Breadcrumb: web.Trail(c).Here(org.Name)}, Organization: org}
	if h.Panels != nil {
		panels, err := h.Panels(c)
		if err != nil {
			return err
		}
		v.Series, v.Synchronization = panels.Series, panels.Synchronization
	}
	return web.Render(c, 0, "pages/organizations/show", "", v)
}
