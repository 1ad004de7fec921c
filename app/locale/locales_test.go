package locale

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"assistant-declaration/locales"
	"assistant-declaration/views"
)

// flatten returns the message ids of a go-i18n TOML file: nested tables join
// with dots; a table holding plural forms (one/other…) is one message.
func flatten(prefix string, m map[string]any, out map[string]bool) {
	plural := map[string]bool{"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true}
	for k, v := range m {
		id := k
		if prefix != "" {
			id = prefix + "." + k
		}
		sub, ok := v.(map[string]any)
		if !ok {
			out[id] = true
			continue
		}
		isPlural := len(sub) > 0
		for sk := range sub {
			if !plural[sk] {
				isPlural = false
			}
		}
		if isPlural {
			out[id] = true
		} else {
			flatten(id, sub, out)
		}
	}
}

// readLocale parses a message file into nested tables.
func readLocale(t *testing.T, file string) map[string]any {
	t.Helper()
	var m map[string]any
	b, err := fs.ReadFile(locales.FS, file)
	if err != nil {
		t.Fatal(err)
	}
	if err := toml.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return m
}

func keysOf(t *testing.T, file string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	flatten("", readLocale(t, file), out)
	return out
}

func TestEveryKeyExistsInBothLanguages(t *testing.T) {
	fr, en := keysOf(t, "fr.toml"), keysOf(t, "en.toml")
	var missing []string
	for k := range fr {
		if !en[k] {
			missing = append(missing, "en.toml lacks "+k)
		}
	}
	for k := range en {
		if !fr[k] {
			missing = append(missing, "fr.toml lacks "+k)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Error(m)
	}
}

// Literal keys used by templates ({{t .L "x.y"}}) and by Go code (T("x.y"),
// NewError(…, "x.y"), AddFlash(c, "level", "x.y"), FormErrors.Add("f", "x.y")).
var (
	templateKey = regexp.MustCompile(`\{\{-?\s*t\s+\$?\.L\s+"([^"]+)"`)
	goKeys      = []*regexp.Regexp{
		regexp.MustCompile(`\.T\("([a-zA-Z]+\.[a-zA-Z0-9_.]+)"`),
		regexp.MustCompile(`NewError\([^,]+,\s*"([a-zA-Z]+\.[a-zA-Z0-9_.]+)"`),
		regexp.MustCompile(`AddFlash\([^,]+,\s*"[a-z]+",\s*"([a-zA-Z]+\.[a-zA-Z0-9_.]+)"`),
		regexp.MustCompile(`\.Add\("[^"]+",\s*"([a-zA-Z]+\.[a-zA-Z0-9_.]+)"\)`),
	}
)

func TestKeysUsedInTemplatesAndCodeExist(t *testing.T) {
	fr, en := keysOf(t, "fr.toml"), keysOf(t, "en.toml")
	check := func(where, key string) {
		if !fr[key] || !en[key] {
			t.Errorf("%s uses %q, missing from fr.toml or en.toml", where, key)
		}
	}
	err := fs.WalkDir(views.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, err := fs.ReadFile(views.FS, path)
		if err != nil {
			return err
		}
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			check("views/"+path, m[1])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Go sources of the app (this test runs in app/locale).
	root := filepath.Join("..")
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, re := range goKeys {
			for _, m := range re.FindAllStringSubmatch(string(b), -1) {
				check(path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestLocalizerFallsBackToTheKey(t *testing.T) {
	l := For("en")
	if got := l.T("errors.notFoundTitle"); got != "Page not found" {
		t.Errorf("en = %q", got)
	}
	if got := For("fr").T("errors.code", "status", 404); got != "Erreur 404" {
		t.Errorf("fr with data = %q", got)
	}
	if got := l.T("no.such.key"); got != "no.such.key" {
		t.Errorf("missing key = %q", got)
	}
	if For("de").Lang != "fr" {
		t.Error("unsupported language must fall back to French")
	}
}

// countMessages returns the ids of the messages of file whose text uses
// {{.count}}: T selects their plural form from it.
func countMessages(t *testing.T, file string) []string {
	t.Helper()
	var ids []string
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			switch v := v.(type) {
			case string:
				if strings.Contains(v, "{{.count}}") {
					ids = append(ids, strings.TrimPrefix(prefix+"."+k, "."))
				}
			case map[string]any:
				walk(prefix+"."+k, v)
			}
		}
	}
	walk("", readLocale(t, file))
	return ids
}

// A message counting things renders for every count, 0 and 1 included
// (French uses the "one" form for both): one without plural forms would
// show its id instead.
func TestCountedMessagesRenderForEveryCount(t *testing.T) {
	for _, lang := range Supported {
		l := For(lang)
		ids := countMessages(t, lang+".toml")
		if len(ids) == 0 {
			t.Fatalf("%s: no counted message found; the walk over the file is broken", lang)
		}
		for _, id := range ids {
			// A plural form's id ends with its form: the message is its table.
			if i := strings.LastIndex(id, "."); i > 0 {
				switch id[i+1:] {
				case "zero", "one", "two", "few", "many", "other":
					id = id[:i]
				}
			}
			for _, n := range []int{0, 1, 2, 7} {
				if got := l.T(id, "count", n); got == id || !strings.Contains(got, fmt.Sprint(n)) {
					t.Errorf("%s %s with count %d = %q", lang, id, n, got)
				}
			}
		}
	}
}

// French texts use the typographic apostrophe (’), never the straight one:
// the messages, the long content pages and the emails.
func TestFrenchUsesTheTypographicApostrophe(t *testing.T) {
	straight := regexp.MustCompile(`\pL'\pL`)
	raw, err := fs.ReadFile(locales.FS, "fr.toml")
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "#") && straight.MatchString(line) {
			t.Errorf("fr.toml:%d: %s", i+1, line)
		}
	}
	for _, dir := range []string{"content/fr", "content/fr/partials", "emails"} {
		files, err := fs.Glob(views.FS, dir+"/*")
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := fs.ReadFile(views.FS, f)
			if err != nil {
				continue // a directory
			}
			// Template actions and comments are code, not French text.
			text := regexp.MustCompile(`(?s)\{\{.*?\}\}`).ReplaceAllString(string(b), "")
			if m := straight.FindString(text); m != "" {
				t.Errorf("%s: straight apostrophe in %q", f, m)
			}
		}
	}
}
