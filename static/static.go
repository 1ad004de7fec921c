// Package static embeds the public assets (DSFR, htmx, the app's own CSS/JS).
package static

import "embed"

// FS holds every asset, served under /static/<hash>/<path>.
//
//go:embed all:dsfr all:htmx app
var FS embed.FS
