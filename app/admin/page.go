package admin

import "github.com/uptrace/bun"

// PageSize is the number of rows of an admin list page.
const PageSize = 25

// Page is one page of a list: rows plus whether a next page exists, detected
// by fetching one row more than shown, never COUNT(*). A previous page exists
// whenever the filter's page is above 1.
type Page[T any] struct {
	Rows    []T
	HasNext bool
}

func newPage[T any](rows []T) Page[T] {
	p := Page[T]{Rows: rows}
	if len(rows) > PageSize {
		p.Rows, p.HasNext = rows[:PageSize], true
	}
	return p
}

// pageRows is the query of one page of a list. ids is the list's search,
// selecting the id column of its table; it picks the page's ids, in order (an
// ARRAY of an ordered subquery keeps its order), and the returned query reads
// table (as alias) for those ids only, in that order. Per-row subqueries the
// caller adds then run for the page's rows, not for every row OFFSET skips.
func pageRows(idb bun.IDB, ids *bun.SelectQuery, page int, table, alias string) *bun.SelectQuery {
	ids.Limit(PageSize + 1).Offset(int64((page - 1) * PageSize))
	return idb.NewSelect().TableExpr("unnest(ARRAY(?)) WITH ORDINALITY AS page(id, position)", ids).
		Join("JOIN ? AS ? ON ?.id = page.id", bun.Ident(table), bun.Ident(alias), bun.Ident(alias)).
		OrderExpr("page.position")
}
