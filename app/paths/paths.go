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
func Fill(pattern string, values ...string) string {
	parts := strings.Split(pattern, "/")
	n := 0
	for i, p := range parts {
		if strings.HasPrefix(p, ":") {
			if n >= len(values) {
				panic("paths: too few values for " + pattern)
			}
			parts[i] = url.PathEscape(values[n])
			n++
		}
	}
	if n != len(values) {
		panic("paths: too many values for " + pattern)
	}
	return strings.Join(parts, "/")
}

// WithQuery appends query parameters (pairs of name and value, empty values
// left out) to a path.
func WithQuery(path string, pairs ...string) string {
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
