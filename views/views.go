// Package views embeds the HTML templates: layouts, pages, partials (fragments
// htmx can request alone), emails and the long-form public content.
package views

import "embed"

// FS holds every template file, named by its path under views/.
//
//go:embed layouts pages partials emails content
var FS embed.FS
