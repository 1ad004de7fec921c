package public

import (
	"strings"
	"testing"

	"assistant-declaration/app/web"
)

// The connection guides are templates sharing partials: each one comes out
// with its own system name where the shared parts name it.
func TestGuidesRenderTheirSharedParts(t *testing.T) {
	h, err := NewHandlers(web.NewEngine(nil))
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string][]string{
		"fr/docs-soticket":    {"Comment connecter SoTicket\u00a0?", "Sélectionnez SoTicket.", "/docs/supersoniks-connection", "Information à saisir"},
		"fr/docs-supersoniks": {"Comment connecter Supersoniks\u00a0?", "Sélectionnez Supersoniks.", "/docs/soticket-connection"},
		"en/docs-soticket":    {"How to connect SoTicket?", "Select SoTicket.", "13 months"},
		"fr/docs-mapado":      {"Étape 3", "Remplissez le champ comme", "Information à copier depuis Mapado", "Jeton d&#39;authentification"},
		"en/docs-billetweb":   {"Step 2: enter the key in", "Fill in both fields", "<td>User</td>", "that the key works."},
	} {
		body := string(h.content[key])
		if strings.Contains(body, "{{") {
			t.Errorf("%s: unrendered template action", key)
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: missing %q", key, w)
			}
		}
	}
	if s := string(h.content["en/docs-supersoniks"]); strings.Contains(s, "/docs/supersoniks-connection") {
		t.Error("the Supersoniks guide links to itself")
	}
}
