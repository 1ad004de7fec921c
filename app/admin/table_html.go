package admin

import (
	"html"
	"html/template"
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
