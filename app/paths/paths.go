// Package paths is the one set of URL paths of the application: the route
// patterns the route table (app/routes.go) registers, and a method per page or
// action building its path. Go code calls paths.To.X(...); templates call
// {{path.X ...}} (web's function map), so no template writes a path by hand
// and renaming a route is a change in one place.
//
// Each domain keeps its paths in a file of its own (accounts.go,
// organizations.go, ...). The package imports nothing of the application.
package paths

import (
	"net/url"
	"strings"
)

// Paths builds the application's paths. It has no state: To is its value.
type Paths struct{}

// To is the value Go code builds paths with: paths.To.Organization(id).
var To Paths

// Fill replaces the ":name" parameters of a route pattern, in order, by the
// path-escaped values. It panics when the counts differ: a programming error
// that every test rendering the page catches.
//
// It writes the path in one pass: a page builds dozens of paths (the
// organization page one per tab and row).
func Fill(pattern string, values ...string) string {
	var b strings.Builder
	b.Grow(len(pattern) + 36*len(values))
	n := 0
	for rest := pattern; ; {
		part, after, more := strings.Cut(rest, "/")
		if strings.HasPrefix(part, ":") {
			if n >= len(values) {
				panic("paths: too few values for " + pattern)
			}
			part = url.PathEscape(values[n])
			n++
		}
		b.WriteString(part)
		if !more {
			break
		}
		b.WriteByte('/')
		rest = after
	}
	if n != len(values) {
		panic("paths: too many values for " + pattern)
	}
	return b.String()
}

// WithQuery appends query parameters (pairs of name and value, empty values
// left out) to a path.
func WithQuery(path string, pairs ...string) string {
	if len(pairs) == 2 {
		// One parameter, the usual case: what url.Values.Encode writes,
		// without its map and sort.
		if pairs[1] == "" {
			return path
		}
		return path + "?" + url.QueryEscape(pairs[0]) + "=" + url.QueryEscape(pairs[1])
	}
	q := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			q.Set(pairs[i], pairs[i+1])
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
