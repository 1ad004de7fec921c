package public

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/locale"
)

// Handlers serves the public pages.
type Handlers struct {
	content map[string]template.HTML // "<lang>/<file>" → body
	docs    []ContentPage
	// rendered keeps each page as a visitor without a session sees it, per
	// language and path: it depends on nothing else, and these are the most
	// requested pages of the site.
	rendered sync.Map // "<lang> <path>" → []byte
}

// NewHandlers renders every content file once with the app's engine (content
// files are templates sharing partials, and depend on no request); a missing
// translation or a failing content template stops start-up rather than
// showing an empty page.
func NewHandlers(engine fiber.Views) (*Handlers, error) {
	h := &Handlers{content: map[string]template.HTML{}}
	for _, p := range Pages {
		if p.Docs {
			h.docs = append(h.docs, p)
		}
		for _, lang := range locale.Supported {
			var buf bytes.Buffer
			if err := engine.Render(&buf, fmt.Sprintf("content/%s/%s", lang, p.File), nil); err != nil {
				return nil, fmt.Errorf("public: content %s/%s: %w", lang, p.File, err)
			}
			// Our own files, reviewed like code: trusted HTML.
			h.content[lang+"/"+p.File] = template.HTML(buf.String()) //nolint:gosec
		}
	}
	return h, nil
}
