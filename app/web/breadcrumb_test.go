package web

import (
	"testing"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
)

// Continuing a shared prefix twice gives two trails, not one overwritten.
func TestBreadcrumbThenCopies(t *testing.T) {
	root := Breadcrumb{{Label: "Tableau de bord", URL: "/dashboard"}, {Label: "Compagnie", URL: "/o"}}
	a, b := root.Then("A", "/a"), root.Here("B")
	if a[2].Label != "A" || b[2].Label != "B" || b[2].URL != "" || len(root) != 2 {
		t.Errorf("trails %v and %v from %v", a, b, root)
	}
	if back := b.Back(); back == nil || back.URL != "/o" {
		t.Errorf("back of %v = %v", b, back)
	}
	if back := root[:1].Back(); back != nil {
		t.Errorf("the root has a way back: %v", back)
	}
}

func TestTitleSkipsEmptyParts(t *testing.T) {
	if got := Title("Déclaration", "", "Hamlet", "Compagnie"); got != "Déclaration — Hamlet — Compagnie" {
		t.Errorf("title %q", got)
	}
}

// The summary follows the form's order, leaves out the fields without
// error, and refuses a malformed list.
func TestErrorSummary(t *testing.T) {
	l := locale.For("fr")
	errs := derrors.Fields{"password": "errors.required", "email": "errors.required"}
	items, err := ErrorSummary(l, errs, "email", "f-email", "accounts.fields.email", "name", "f-name", "accounts.fields.lastName",
		"password", "f-password", "accounts.fields.password")
	if err != nil || len(items) != 2 || items[0].ID != "f-email" || items[1].ID != "f-password" || items[0].Message != "Ce champ est obligatoire." {
		t.Errorf("summary %+v (%v)", items, err)
	}
	if _, err := ErrorSummary(l, errs, "email", "f-email"); err == nil {
		t.Error("a field without its label was accepted")
	}
}
