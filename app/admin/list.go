package admin

import (
	"assistant-declaration/app/db"
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/uptrace/bun"
)

// The organizations, users and declarations lists are one mechanism: a
// listSpec says what differs (table, search, columns, filters), pageRows
// reads a page of any, the partials list-form-top, list-form-end, list-top
// and list-bottom show any, with the column headers, options and pagination
// Table writes (table_html.go) and the rows each view writes.

// PageSize is the number of rows of an admin list page.
const PageSize = 25

// Page is one page of a list: rows plus whether a next page exists, detected
// by fetching one row more than shown, never COUNT(*). A previous page exists
// whenever the filter's page is above 1.
type Page[T any] struct {
	Rows    []T
	HasNext bool
}

// Column is a column of a list's table: its header's message key and, when
// the list sorts by it, its sort key.
type Column struct {
	Label string
	Sort  string
}

// listSpec is what sets one admin list apart from the other.
type listSpec struct {
	table, alias string // the table listed, and its alias in the queries
	tableID      string // id of the table element
	caption      string // message keys of the caption and of the search box
	search       string
	searchHint   string
	columns      []Column
	// export is the CSV export of a view (a paths.To method).
	export func(url.Values) string
}

// Table is what the shared list partials show: the list's state, its form,
// its table's frame and its pagination.
type Table struct {
	Listing
	ID         string
	Caption    string
	Search     string
	SearchHint string
	Columns    []Column
	Selects    []SelectFilter
	// Trigger is the form's hx-trigger: search while typing in the search
	// box, filter on change of the others, not on a bare "change" (it would
	// search again when the search box loses focus, swapping the results
	// under the admin's click).
	Trigger   string
	ExportURL string
	HasNext   bool
}

// view is the Table of the state l, its form holding selects then the other
// fields of ids others.
func (s listSpec) view(l Listing, hasNext bool, selects []SelectFilter, others ...string) Table {
	var triggers []string
	for _, sel := range selects {
		triggers = append(triggers, "change from:#filter-"+sel.Name)
	}
	for _, id := range others {
		triggers = append(triggers, "change from:#"+id)
	}
	return Table{
		Listing: l, ID: s.tableID, Caption: s.caption, Search: s.search, SearchHint: s.searchHint,
		Columns: s.columns, Selects: selects, ExportURL: s.export(l.values()), HasNext: hasNext,
		Trigger: "submit, " + strings.Join(triggers, ", ") + ", input changed delay:400ms from:#filter-q",
	}
}

// pageRows reads page of the list s. search filters and orders the ids of
// the list's table (it receives a query on the table under its alias) and
// columns adds what a row shows. The page's ids are picked first, in order
// (an ARRAY of an ordered subquery keeps its order), then the rows are read
// for those ids only, in that order: per-row subqueries the columns add run
// for the page's rows, not for every row OFFSET skips. The statement is
// prepared and cached per connection (db.ScanCached): an admin reloading a
// view, or several admins on the default one, skip its planning.
func pageRows[T any](ctx context.Context, d *db.DB, s listSpec, page int, search, columns func(*bun.SelectQuery) *bun.SelectQuery) (Page[T], error) {
	table, alias := bun.Ident(s.table), bun.Ident(s.alias)
	ids := search(d.NewSelect().TableExpr("? AS ?", table, alias).ColumnExpr("?.id", alias)).
		Limit(PageSize + 1).Offset(int64((page - 1) * PageSize))
	var rows []T
	err := d.ScanCached(ctx, columns(d.NewSelect().TableExpr("unnest(ARRAY(?)) WITH ORDINALITY AS page(id, position)", ids).
		Join("JOIN ? AS ? ON ?.id = page.id", table, alias, alias).
		OrderExpr("page.position")), &rows)
	if err != nil {
		return Page[T]{}, fmt.Errorf("admin: list %s, page %d: %w", s.table, page, err)
	}
	p := Page[T]{Rows: rows}
	if len(rows) > PageSize {
		p.Rows, p.HasNext = rows[:PageSize], true
	}
	return p, nil
}
