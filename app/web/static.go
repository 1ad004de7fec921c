package web

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"

	fiberhtml "github.com/gofiber/template/html/v2"

	"assistant-declaration/app/locale"
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
