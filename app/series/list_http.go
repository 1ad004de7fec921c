package series

import (
	"html"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/locale"
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
	// TabsHTML, HeadHTML and RowsHTML are the tabs' links, the table's column
	// headers and its rows, written by writeTab, writeHead and writeRow;
	// Caption names the table (the series under the current tab).
	TabsHTML, HeadHTML, RowsHTML template.HTML
	Caption                      string
	// Fragment is set when the list is rendered alone for htmx: it then also
	// swaps the synchronization status of the page out of band.
	Fragment bool
}

// Tab is one tab of the list.
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
	l := web.Localizer(c)
	var b strings.Builder
	for _, t := range tabs(org.ID, list) {
		writeTab(&b, l, t)
	}
	v := &ListView{OrganizationID: org.ID, List: list, Sync: sync, LatestRun: run, TabsHTML: template.HTML(b.String())} //nolint:gosec // escaped by writeTab
	v.Caption = l.T("series.table.caption") + " — " + l.T(list.Filter.LabelKey())
	b.Reset()
	writeHead(&b, l)
	v.HeadHTML = template.HTML(b.String()) //nolint:gosec // escaped by writeHead
	b.Reset()
	b.Grow(2048 * len(list.Series))
	for i := range list.Series {
		writeRow(&b, l, org.ID, &list.Series[i])
	}
	v.RowsHTML = template.HTML(b.String()) //nolint:gosec // escaped by writeRow
	return v, nil
}

// The tabs and the rows of the list are written here rather than by
// partials/series/list, as the declaration form writes its fields: each
// template action goes through reflection and its contextual escapers, and
// they were most of the organization page's rendering, the page entrepreneurs
// use most. Every text is escaped here; the rest are constants, numbers and
// paths of ids.

// writeTab writes tab t's link, in its list item.
func writeTab(b *strings.Builder, l *locale.Localizer, t Tab) {
	b.WriteString("\n      <li><a class=\"fr-btn fr-btn--sm")
	if !t.Current {
		b.WriteString(" fr-btn--tertiary")
	}
	b.WriteString(`" id="series-filter-` + html.EscapeString(string(t.Filter)) + `" href="` + html.EscapeString(t.URL) +
		`" hx-get="` + html.EscapeString(t.FragmentURL) + `" hx-push-url="` + html.EscapeString(t.URL) + `"`)
	if t.Current {
		b.WriteString(` aria-current="page"`)
	}
	b.WriteString(">\n        " + html.EscapeString(l.T(t.Filter.LabelKey())) + `&nbsp;<span class="series-count">(` + strconv.Itoa(t.Count) + `)</span>`)
	if t.Badge != "" {
		b.WriteString("\n        " + `<span class="fr-badge fr-badge--error fr-badge--sm fr-badge--no-icon fr-ml-1v" title="` +
			html.EscapeString(l.T("series.filters.alertBadgeTitle")) + `">` + html.EscapeString(t.Badge) + `</span>`)
	}
	b.WriteString("\n      </a></li>")
}

// writeHead writes the column headers of the table, one per cell writeRow
// writes.
func writeHead(b *strings.Builder, l *locale.Localizer) {
	for _, h := range []struct{ key, class string }{
		{"series.table.name", ""}, {"series.table.dates", ""}, {"series.table.events", "fr-cell--right"},
		{"series.table.revenue", "fr-cell--right"}, {"series.table.status", ""}, {"series.table.actions", ""},
	} {
		b.WriteString("\n          <th scope=\"col\"")
		if h.class != "" {
			b.WriteString(` class="` + h.class + `"`)
		}
		b.WriteString(">" + html.EscapeString(l.T(h.key)) + "</th>")
	}
}

// writeRow writes serie s's line of the table of the organization orgID: its
// name (a link to its declaration) and ticketing system, dates, performances,
// revenue, status badge, the declaration's action and, for a manual serie
// not declared yet, its edit and delete links.
func writeRow(b *strings.Builder, l *locale.Localizer, orgID uuid.UUID, s *Serie) {
	declaration := html.EscapeString(paths.To.Declaration(orgID, s.ID))
	name := html.EscapeString(s.Name)
	system := s.TicketingSystemName.DisplayName(l)
	b.WriteString("\n          <tr data-serie-id=\"" + s.ID.String() + `">` +
		"\n            " + `<td><a class="series-name" href="` + declaration + `">` + name + `</a>` +
		"\n              " + `<br><span class="fr-text--xs">` + html.EscapeString(system) + `</span></td>` +
		"\n            " + `<td class="series-dates">`)
	switch {
	case s.StartAt == nil:
		b.WriteString("—")
	case s.SameDay():
		b.WriteString(locale.Date(*s.StartAt) + ", " + locale.Time(*s.StartAt))
	default:
		b.WriteString(locale.Date(*s.StartAt) + "&nbsp;→&nbsp;" + locale.Date(*s.EndAt))
	}
	b.WriteString(`</td>` +
		"\n            " + `<td class="fr-cell--right">` + strconv.Itoa(s.EventCount) + `</td>` +
		"\n            " + `<td class="fr-cell--right">` + html.EscapeString(locale.Money(s.RevenueIncludingTax)) + `</td>` +
		"\n            " + `<td><p class="fr-badge`)
	if class := s.Status.BadgeClass(); class != "" {
		b.WriteString(" " + class)
	}
	action := html.EscapeString(l.T(s.Action().LabelKey()))
	b.WriteString(` fr-badge--sm">` + html.EscapeString(l.T(s.Status.LabelKey())) + `</p></td>` +
		"\n            " + `<td><a class="fr-btn fr-btn--sm fr-mb-1w" href="` + declaration + `" aria-label="` + action + ` : ` + name + `">` + action + `</a>`)
	switch {
	case !s.IsManual():
	case s.Locked():
		b.WriteString("\n              " + `<span class="fr-text--xs">` + html.EscapeString(l.T("series.table.locked")) + `</span>`)
	default:
		b.WriteString("\n              " + `<ul class="fr-btns-group fr-btns-group--inline fr-btns-group--sm fr-btns-group--icon-left">` +
			"\n                " + `<li><a class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-edit-line fr-btn--icon-left" href="` + html.EscapeString(paths.To.SerieEdit(orgID, s.ID)) +
			`" aria-label="` + html.EscapeString(l.T("series.table.editNamed", "name", s.Name)) + `">` + html.EscapeString(l.T("series.table.edit")) + `</a></li>` +
			"\n                " + `<li><a class="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-delete-line fr-btn--icon-left" href="` + html.EscapeString(paths.To.SerieDelete(orgID, s.ID)) +
			`" aria-label="` + html.EscapeString(l.T("series.table.deleteNamed", "name", s.Name)) + `">` + html.EscapeString(l.T("series.table.delete")) + `</a></li>` +
			"\n              </ul>")
	}
	b.WriteString("</td>\n          </tr>")
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
