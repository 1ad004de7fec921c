package admin

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
)

// The state of every admin list (search, filters, sort, page) lives in the
// URL query string, so a view can be bookmarked and shared, and htmx pushes the
// same URL a browser without JavaScript loads.

// maxQueryLength bounds the search text, in characters.
const maxQueryLength = 200

// maxPage bounds OFFSET pagination: deeper pages mean a more precise search.
const maxPage = 1000

// Listing is the part of a list's state common to every list: where it lives,
// the search text, the sort and the page, plus the list's own filters.
type Listing struct {
	Query string
	Sort  string
	Page  int
	// at is the list's path with a query string (a paths.To method).
	at func(url.Values) string
	// extra holds the list's own filters as they appear in the URL.
	extra url.Values
}

// values is the query string of the listing, without the page.
func (l Listing) values() url.Values {
	v := url.Values{}
	for k, vals := range l.extra {
		for _, s := range vals {
			if s != "" {
				v.Add(k, s)
			}
		}
	}
	if l.Query != "" {
		v.Set("q", l.Query)
	}
	if l.Sort != "" {
		v.Set("sort", l.Sort)
	}
	return v
}

// Path is the list's own path, the target of its filter form.
func (l Listing) Path() string { return l.at(nil) }

// PageURL is the address of page p of the current view.
func (l Listing) PageURL(p int) string {
	v := l.values()
	if p > 1 {
		v.Set("page", strconv.Itoa(p))
	}
	return l.at(v)
}

// SortURL is the address sorting by column key: ascending first, descending
// when the list is already sorted ascending by that column.
func (l Listing) SortURL(key string) string {
	v := l.values()
	if l.Sort == key {
		v.Set("sort", "-"+key)
	} else {
		v.Set("sort", key)
	}
	return l.at(v)
}

// AriaSort is the aria-sort value of a column header ("ascending",
// "descending" or "none").
func (l Listing) AriaSort(key string) string {
	switch l.Sort {
	case key:
		return "ascending"
	case "-" + key:
		return "descending"
	}
	return "none"
}

// Value returns the raw value of one of the list's own filters, for the form.
func (l Listing) Value(key string) string { return l.extra.Get(key) }

// query is the subset of fiber.Ctx filters are parsed from (testable alone).
type query func(key string) string

func newListing(at func(url.Values) string, get query, sorts []string) Listing {
	l := Listing{at: at, Query: strings.TrimSpace(get("q")), extra: url.Values{}, Page: 1}
	// Cut by characters: a byte cut could split one and PostgreSQL rejects
	// the invalid UTF-8.
	if q := []rune(l.Query); len(q) > maxQueryLength {
		l.Query = string(q[:maxQueryLength])
	}
	if s := get("sort"); slices.Contains(sorts, strings.TrimPrefix(s, "-")) {
		l.Sort = s
	}
	if p, err := strconv.Atoi(get("page")); err == nil && p > 1 {
		l.Page = min(p, maxPage)
	}
	return l
}

// choose keeps the filter key of the URL only when it is one of allowed.
func choose[T ~string](l *Listing, get query, key string, allowed ...T) T {
	v := parseChoice(get(key), allowed...)
	if v != "" {
		l.extra.Set(key, string(v))
	}
	return v
}

// dateLayouts are the accepted date filter formats: what a date picker sends,
// and the JJ/MM/AAAA the error message asks for where the browser has none.
var dateLayouts = []string{time.DateOnly, "02/01/2006"}

// date parses a date filter as midnight in Paris; an invalid date is kept as
// typed and reported next to its field.
func (l *Listing) date(get query, key string, errs derrors.Fields) time.Time {
	v := strings.TrimSpace(get(key))
	if v == "" {
		return time.Time{}
	}
	l.extra.Set(key, v)
	for _, layout := range dateLayouts {
		if t, err := time.ParseInLocation(layout, v, locale.Paris); err == nil {
			return t
		}
	}
	errs.Add(key, "admin.filters.invalidDate")
	return time.Time{}
}
