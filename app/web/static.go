package web

import (
	"bytes"
	"fmt"
	"html"
	"html/template"
	"strings"
	"sync"

	fiberhtml "github.com/gofiber/template/html/v2"

	"assistant-declaration/app/locale"
	"assistant-declaration/app/paths"
)

// staticPartials renders once per language the partials that read nothing
// but the language (.L and .Lang): the page head's links, the skip links,
// the footer and the scripts. Every page printed them again through some
// fifty template actions, each a reflective call, about a fifth of a
// page's rendering.
type staticPartials struct {
	engine *fiberhtml.Engine
	cache  sync.Map // name + "\x00" + language → template.HTML
}

// render returns partial name as rendered for l's language.
func (s *staticPartials) render(name string, l *locale.Localizer) (template.HTML, error) {
	key := name + "\x00" + l.Lang
	if h, ok := s.cache.Load(key); ok {
		return h.(template.HTML), nil
	}
	var b bytes.Buffer
	if err := s.engine.Render(&b, name, Layout{L: l, Lang: l.Lang}); err != nil {
		return "", fmt.Errorf("web: render static partial %s: %w", name, err)
	}
	h := template.HTML(b.String()) //nolint:gosec // our own rendered template
	s.cache.Store(key, h)
	return h, nil
}

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
