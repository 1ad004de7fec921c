// Package locales embeds the go-i18n message files (French first, English second).
package locales

import "embed"

// FS holds fr.toml and en.toml.
//
//go:embed *.toml
var FS embed.FS
