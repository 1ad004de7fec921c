package apptest

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// ErrorSummary checks the page's one error summary (partials/forms/error-summary):
// focusable, linking to exactly the fields ids in that order, each field in
// error (aria-invalid, in an error group) and described by its message.
func (r *Response) ErrorSummary(t testing.TB, ids ...string) {
	t.Helper()
	summary := r.Doc.Find("[data-error-summary]")
	if summary.Length() != 1 {
		t.Fatalf("%d error summaries, want 1", summary.Length())
	}
	if v, _ := summary.Attr("tabindex"); v != "-1" {
		t.Errorf("summary tabindex %q: it cannot take the focus", v)
	}
	var links []string
	summary.Find("li a").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		links = append(links, strings.TrimPrefix(href, "#"))
		if !strings.Contains(a.Text(), " : ") {
			t.Errorf("summary item %q: no label and message", a.Text())
		}
	})
	if strings.Join(links, ",") != strings.Join(ids, ",") {
		t.Errorf("summary links to %v, want %v", links, ids)
	}
	for _, id := range ids {
		field := r.Doc.Find("#" + id)
		if field.Length() != 1 {
			t.Errorf("summary links to #%s, which is not on the page once", id)
			continue
		}
		if v, _ := field.Attr("aria-invalid"); v != "true" {
			t.Errorf("#%s is not aria-invalid", id)
		}
		if field.ParentsFiltered(".fr-input-group--error, .fr-checkbox-group--error").Length() == 0 {
			t.Errorf("#%s is not in an error group", id)
		}
		described := false
		by, _ := field.Attr("aria-describedby")
		for _, d := range strings.Fields(by) {
			if r.Doc.Find("#"+d+" .fr-message--error").Length() > 0 {
				described = true
			}
		}
		if !described {
			t.Errorf("#%s is not described by its error message (aria-describedby %q)", id, by)
		}
	}
}

// Breadcrumb returns the labels of the page's DSFR breadcrumb, checking that
// only its last step is the current page and that every other step links.
func (r *Response) Breadcrumb(t testing.TB) []string {
	t.Helper()
	var labels []string
	items := r.Doc.Find(".fr-breadcrumb .fr-breadcrumb__list li a")
	items.Each(func(i int, a *goquery.Selection) {
		labels = append(labels, strings.TrimSpace(a.Text()))
		current, _ := a.Attr("aria-current")
		href, linked := a.Attr("href")
		if last := i == items.Length()-1; last != (current == "page") || last == (linked && href != "") {
			t.Errorf("breadcrumb step %d %q: aria-current %q, href %q", i, a.Text(), current, href)
		}
	})
	return labels
}
