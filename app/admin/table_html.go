package admin

import (
	"html"
	"html/template"
	"strconv"
	"strings"

	"assistant-declaration/app/locale"
)

// The admin lists write their column headers, their filters' options and
// their rows in Go, as the organization page writes its series: a page of
// 25 rows made html/template call a translation, a path or a date per cell
// through reflection, which was most of a list's CPU at 16 concurrent admins
// (README, benchmarks). Every dynamic text goes through html.EscapeString;
// paths come from paths.To, labels from message keys, as in the templates.

// HeadHTML writes the header cells of the table: a sort link with its
// aria-sort on a sortable column, the label alone on the others.
func (t Table) HeadHTML(l *locale.Localizer) template.HTML {
	var b strings.Builder
	for _, c := range t.Columns {
		label := html.EscapeString(l.T(c.Label))
		if c.Sort == "" {
			b.WriteString(`<th scope="col">` + label + "</th>\n          ")
			continue
		}
		url := html.EscapeString(t.SortURL(c.Sort))
		b.WriteString(`<th scope="col" aria-sort="` + t.AriaSort(c.Sort) + `"><a class="fr-link" href="` + url +
			`" hx-get="` + url + `">` + label + "</a></th>\n          ")
	}
	return template.HTML(b.String()) //nolint:gosec // escaped above
}

// OptionsHTML writes the options of the select, "any" first.
func (s SelectFilter) OptionsHTML(l *locale.Localizer) template.HTML {
	var b strings.Builder
	b.WriteString(`<option value="">` + html.EscapeString(l.T("admin.filters.any")) + "</option>")
	for _, o := range s.Options {
		selected := ""
		if o.Selected {
			selected = " selected"
		}
		b.WriteString(`<option value="` + html.EscapeString(o.Value) + `"` + selected + ">" + html.EscapeString(l.T(o.LabelKey)) + "</option>")
	}
	return template.HTML(b.String()) //nolint:gosec // escaped above
}

// cell writes a table cell holding text, escaped.
func cell(b *strings.Builder, text string) {
	b.WriteString("\n            <td>" + html.EscapeString(text) + "</td>")
}

// linkCell writes a table cell holding a link to href named text.
func linkCell(b *strings.Builder, href, text string) {
	b.WriteString("\n            <td><a href=\"" + html.EscapeString(href) + `">` + html.EscapeString(text) + "</a></td>")
}

// PaginationHTML writes the links to the previous and next pages, when
// there is one; a missing one is a disabled link, as DSFR shows it.
func (t Table) PaginationHTML(l *locale.Localizer) template.HTML {
	hasPrev := t.Page > 1
	if !hasPrev && !t.HasNext {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<nav role="navigation" class="fr-pagination fr-mt-3w" aria-label="` + html.EscapeString(l.T("admin.pagination.label")) + `">` +
		"\n  " + `<ul class="fr-pagination__list">` + "\n    <li>")
	pageLink(&b, "prev", hasPrev, t.PageURL(t.Page-1), l.T("admin.pagination.prev"))
	page := strconv.Itoa(t.Page)
	b.WriteString("</li>\n    " + `<li><a class="fr-pagination__link" aria-current="page" title="` +
		html.EscapeString(l.T("admin.pagination.page", "page", t.Page)) + `">` + page + "</a></li>\n    <li>")
	pageLink(&b, "next", t.HasNext, t.PageURL(t.Page+1), l.T("admin.pagination.next"))
	b.WriteString("</li>\n  </ul>\n</nav>")
	return template.HTML(b.String()) //nolint:gosec // escaped above
}

// pageLink writes the link to the page at url (direction "prev" or "next"),
// or its disabled form when there is no such page.
func pageLink(b *strings.Builder, direction string, enabled bool, url, label string) {
	class := `class="fr-pagination__link fr-pagination__link--` + direction + ` fr-pagination__link--lg-label"`
	if !enabled {
		b.WriteString(`<a ` + class + ` aria-disabled="true" role="link">` + html.EscapeString(label) + "</a>")
		return
	}
	url = html.EscapeString(url)
	b.WriteString(`<a ` + class + ` id="page-` + direction + `" href="` + url + `" hx-get="` + url + `">` + html.EscapeString(label) + "</a>")
}
