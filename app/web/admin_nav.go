package web

import (
	"html"
	"html/template"
	"strings"

	"assistant-declaration/app/locale"
	"assistant-declaration/app/paths"
)

// AdminNav writes the back office's sub-navigation, the page at path marked
// current: in Go, as the lists' rows, since every admin page shows its nine
// entries.
func AdminNav(l *locale.Localizer, path string) template.HTML {
	var b strings.Builder
	b.WriteString(`<nav class="fr-mb-4w" aria-label="` + html.EscapeString(l.T("admin.nav.label")) + `">` +
		"\n  " + `<ul class="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm">`)
	for _, s := range paths.To.AdminSections() {
		class, current := "fr-btn fr-btn--secondary", ""
		if s.Current(path) {
			class, current = "fr-btn", ` aria-current="page"`
		}
		b.WriteString("\n    " + `<li><a class="` + class + `" href="` + html.EscapeString(s.Path) + `"` + current + ">" +
			html.EscapeString(l.T(s.LabelKey)) + "</a></li>")
	}
	b.WriteString("\n  </ul>\n</nav>")
	return template.HTML(b.String()) //nolint:gosec // escaped above
}
