// Package locale holds the translations (go-i18n, French first, English second)
// and the French formats the app shows: money, dates and times in Europe/Paris
// whatever the server's time zone.
package locale

import (
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"assistant-declaration/locales"
)

// Supported languages, the default first.
var Supported = []string{"fr", "en"}

// Default is the language used when nothing else matches.
const Default = "fr"

// Bundle is loaded once from the embedded message files.
var Bundle = mustLoad(locales.FS)

func mustLoad(fsys fs.FS) *i18n.Bundle {
	b := i18n.NewBundle(language.French)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	for _, lang := range Supported {
		if _, err := b.LoadMessageFileFS(fsys, lang+".toml"); err != nil {
			panic(fmt.Sprintf("locale: %v", err))
		}
	}
	return b
}

// Localizer translates message ids for one language.
type Localizer struct {
	Lang string
	l    *i18n.Localizer
	// plain caches messages without arguments: pages ask for the same few
	// hundred strings on every request, and go-i18n allocates on each lookup.
	plain sync.Map // id → string
}

var localizers = map[string]*Localizer{}

func init() {
	for _, lang := range Supported {
		localizers[lang] = &Localizer{Lang: lang, l: i18n.NewLocalizer(Bundle, lang)}
	}
}

// For returns the localizer of a supported language, French otherwise.
func For(lang string) *Localizer {
	if l, ok := localizers[lang]; ok {
		return l
	}
	return localizers[Default]
}

// Match picks the language from an explicit choice (cookie, query) then the
// Accept-Language header; anything invalid falls back to French.
func Match(choice, acceptLanguage string) string {
	if choice = strings.ToLower(strings.TrimSpace(choice)); localizers[choice] != nil {
		return choice
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil {
		return Default
	}
	for _, t := range tags {
		base, _ := t.Base()
		if localizers[base.String()] != nil {
			return base.String()
		}
	}
	return Default
}

// T translates id. Arguments come in name/value pairs for the template data
// ("count" also selects the plural form). A missing id renders as the id itself
// so the page still shows; the locales test makes sure none is missing.
func (l *Localizer) T(id string, args ...any) string {
	if len(args) == 0 {
		if s, ok := l.plain.Load(id); ok {
			return s.(string)
		}
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(args) > 0 {
		data := map[string]any{}
		for i := 0; i+1 < len(args); i += 2 {
			key := fmt.Sprint(args[i])
			data[key] = args[i+1]
			if key == "count" {
				cfg.PluralCount = args[i+1]
			}
		}
		cfg.TemplateData = data
	}
	s, err := l.l.Localize(cfg)
	if err != nil {
		return id
	}
	if len(args) == 0 {
		l.plain.Store(id, s)
	}
	return s
}
