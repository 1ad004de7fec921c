package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/db"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/transmissions"
)

// The declarations page follows up the transmissions (decision P8 in
// docs/decisions.md): the declarations an organism did not accept because the
// last attempt failed, and the transmissions sending for too long. It only
// reads; "Relancer" goes through transmissions.Retry, which owns the queue.

// SendingTooLong is how long an active transmission may last before the page
// shows it: the worker sends within a minute, SMTP retries within minutes.
const SendingTooLong = 15 * time.Minute

// DeclarationFilter is the state of the declarations in error list.
type DeclarationFilter struct {
	Listing
	Organism declarations.Organism // "" is any
	Code     ErrorCode             // "" is any
	From     time.Time             // last failure on or after
	To       time.Time             // last failure on or before this day
}

var declarationSorts = []string{"failed", "organization"}

// ErrorCode is an error code a transmission attempt records
// (transmissions.ErrorCodes), as the declarations list filters on it.
type ErrorCode string

// LabelKey is the message key of the code's short label: the declarant's
// messages (transmissions.ErrorKey) are sentences, and several codes share
// one.
func (c ErrorCode) LabelKey() string { return "admin.declarations.codes." + string(c) }

// errorCodes are the codes the filter offers, in transmissions' order.
var errorCodes = func() []ErrorCode {
	var codes []ErrorCode
	for _, c := range transmissions.ErrorCodes() {
		codes = append(codes, ErrorCode(c))
	}
	return codes
}()

// ParseDeclarationFilter reads the declarations list state from the URL.
func ParseDeclarationFilter(get query) (DeclarationFilter, derrors.Fields) {
	errs := derrors.Fields{}
	f := DeclarationFilter{Listing: newListing(paths.To.AdminDeclarationsQuery, get, declarationSorts)}
	f.Organism = choose(&f.Listing, get, "organism", declarations.Organisms...)
	f.Code = choose(&f.Listing, get, "code", errorCodes...)
	f.From = f.date(get, "from", errs)
	f.To = f.date(get, "to", errs)
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		errs.Add("to", "admin.declarations.toBeforeFrom")
		f.To = time.Time{}
	}
	return f, errs
}

// selects are the choice filters of the declarations form.
func (f DeclarationFilter) selects() []SelectFilter {
	return []SelectFilter{
		{Name: "organism", Label: "admin.declarations.organism", Options: options(f.Organism, declarations.Organisms...)},
		{Name: "code", Label: "admin.declarations.code", Options: options(f.Code, errorCodes...)},
	}
}

// DeclarationRow is a declaration to one organism whose last attempt failed.
type DeclarationRow struct {
	Organism         declarations.Organism `bun:"organism"`
	SerieID          uuid.UUID             `bun:"serie_id"`
	SerieName        string                `bun:"serie_name"`
	OrganizationID   uuid.UUID             `bun:"organization_id"`
	OrganizationName string                `bun:"organization_name"`
	ErrorCode        string                `bun:"error_code"`
	FirstFailure     *time.Time            `bun:"first_failure"`
	LastFailure      time.Time             `bun:"last_failure"`
	Attempts         int                   `bun:"attempts"`
	// Sending: a transmission of the serie is active (a retry is under way).
	Sending bool `bun:"sending"`
}

// ErrorKey is the message key of the row's error code.
func (r DeclarationRow) ErrorKey() string { return transmissions.ErrorKey(r.ErrorCode) }

var declarationsList = listSpec{
	table: "event_serie_declarations", alias: "d", tableID: "declarations-table", caption: "admin.declarations.caption",
	search: "admin.declarations.search", searchHint: "admin.declarations.searchHint",
	columns: []Column{
		{Label: "admin.declarations.organization", Sort: "organization"}, {Label: "admin.declarations.serie"},
		{Label: "admin.declarations.organism"}, {Label: "admin.declarations.error"},
		{Label: "admin.declarations.firstFailure"}, {Label: "admin.declarations.lastFailure", Sort: "failed"},
		{Label: "admin.declarations.attempts"}, {Label: "admin.declarations.actions"},
	},
	export: paths.To.AdminDeclarationsExport,
}

// declarationJoins joins a query on event_serie_declarations AS d to its
// serie (s) and organization (o).
func declarationJoins(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Join("JOIN event_series AS s ON s.id = d.event_serie_id").
		Join("JOIN ticketing_systems AS ts ON ts.id = s.ticketing_system_id").
		Join("JOIN organizations AS o ON o.id = ts.organization_id")
}

// declarationSearch filters and orders the declarations in error of f: rows
// an organism has not accepted whose last attempt failed. Sorted by date, it
// reads event_serie_declarations alone, backwards along
// event_serie_declarations_error_idx: the joins to the serie and the
// organization (which never filter: every declaration has both) come only
// with a search or the sort by organization, which need the organization.
func declarationSearch(q *bun.SelectQuery, f DeclarationFilter) *bun.SelectQuery {
	if f.Query != "" || strings.TrimPrefix(f.Sort, "-") == "organization" {
		declarationJoins(q)
	}
	return declarationFilter(q, f)
}

// declarationFilter adds the conditions and the order of f to a query on
// event_serie_declarations AS d joined, when f needs it, to its organization.
// The error's date is not tested: the constraint
// event_serie_declarations_error_dated sets it with the code.
func declarationFilter(q *bun.SelectQuery, f DeclarationFilter) *bun.SelectQuery {
	q.Where("d.last_transmission_error IS NOT NULL").Where("d.status = ?", declarations.StatusPending)
	if f.Organism != "" {
		q.Where("d.type = ?", f.Organism)
	}
	if f.Code != "" {
		q.Where("d.last_transmission_error = ?", f.Code)
	}
	if !f.From.IsZero() {
		q.Where("d.last_transmission_error_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q.Where("d.last_transmission_error_at < ?", f.To.AddDate(0, 0, 1))
	}
	if term := strings.ToLower(f.Query); term != "" {
		organizationTerm(q, term, false)
	}
	// Sorted by organization, the whole list or one organism's is dense
	// enough (a failed declaration every two or three organizations) for
	// the planner's walk of organizations_search_name_sort_idx to fill a
	// page after a hundred organizations. A code or a period leaves a few
	// hundred rows spread over thousands of organizations, which the
	// planner, expecting them evenly spread, still walks to, in parallel,
	// for a second: ordering by an expression that index does not hold makes
	// it start from those rows instead (milliseconds).
	name := `o.search_name COLLATE "C"`
	if f.Code != "" || !f.From.IsZero() || !f.To.IsZero() {
		name = `(o.search_name || '') COLLATE "C"`
	}
	switch f.Sort {
	case "organization":
		q.OrderExpr(name + ", d.last_transmission_error_at DESC, d.id")
	case "-organization":
		q.OrderExpr(name + " DESC, d.last_transmission_error_at DESC, d.id")
	case "failed":
		q.OrderExpr("d.last_transmission_error_at, d.id")
	default:
		q.OrderExpr("d.last_transmission_error_at DESC, d.id DESC")
	}
	return q
}

// The attempts of the row d, and their failed ones, as the page and the CSV
// export show them.
const (
	attemptsOf     = "a.event_serie_id = d.event_serie_id AND a.organism = d.type"
	failedAttempts = attemptsOf + " AND a.outcome = 'failed'"
	firstFailure   = "(SELECT min(a.started_at) FROM transmission_attempts a WHERE " + failedAttempts + ")"
	attemptCount   = "(SELECT count(*) FROM transmission_attempts a WHERE " + attemptsOf + ")"
)

// ListDeclarations returns one page of the declarations in error, in one
// statement.
func ListDeclarations(ctx context.Context, d *db.DB, f DeclarationFilter) (_ Page[DeclarationRow], err error) {
	defer derrors.Wrap(&err, "admin: list declarations in error")
	return pageRows[DeclarationRow](ctx, d, declarationsList, f.Page,
		func(q *bun.SelectQuery) *bun.SelectQuery { return declarationSearch(q, f) },
		func(q *bun.SelectQuery) *bun.SelectQuery {
			return declarationJoins(q).
				ColumnExpr("d.type AS organism, s.id AS serie_id, s.name AS serie_name, o.id AS organization_id, o.name AS organization_name").
				ColumnExpr("d.last_transmission_error AS error_code, d.last_transmission_error_at AS last_failure").
				ColumnExpr(firstFailure+" AS first_failure").
				ColumnExpr(attemptCount+" AS attempts").
				ColumnExpr("EXISTS (SELECT 1 FROM transmissions t WHERE t.event_serie_id = d.event_serie_id AND t.status <> ?) AS sending",
					transmissions.StatusFinished)
		})
}

// declarationsExport is the query of the declarations in error CSV export.
func declarationsExport(idb bun.IDB, f DeclarationFilter, label func(string) string) (*bun.SelectQuery, error) {
	messages, err := errorMessages(label)
	if err != nil {
		return nil, fmt.Errorf("admin: messages of the error codes: %w", err)
	}
	q := idb.NewSelect().TableExpr("event_serie_declarations AS d").
		ColumnExpr(csvText("o.name")+" AS ?", bun.Ident(label("admin.declarations.organization"))).
		ColumnExpr("o.official_headquarters_id AS ?", bun.Ident(label("admin.organizations.siret"))).
		ColumnExpr(csvText("s.name")+" AS ?", bun.Ident(label("admin.declarations.serie"))).
		ColumnExpr("d.type AS ?", bun.Ident(label("admin.declarations.organism"))).
		ColumnExpr("d.last_transmission_error AS ?", bun.Ident(label("admin.declarations.code"))).
		ColumnExpr("coalesce((?::jsonb)->>d.last_transmission_error, '') AS ?", messages, bun.Ident(label("admin.declarations.error"))).
		ColumnExpr(parisTime(firstFailure)+" AS ?",
			bun.Ident(label("admin.declarations.firstFailure"))).
		ColumnExpr(parisTime("d.last_transmission_error_at")+" AS ?", bun.Ident(label("admin.declarations.lastFailure"))).
		ColumnExpr(attemptCount+" AS ?",
			bun.Ident(label("admin.declarations.attempts")))
	return declarationFilter(declarationJoins(q), f), nil
}

// errorMessages is the JSON object of every known code's message, so that
// COPY writes the messages without a table of them.
func errorMessages(label func(string) string) (string, error) {
	codes := transmissions.ErrorCodes()
	messages := make(map[string]string, len(codes))
	for _, code := range codes {
		messages[code] = label(transmissions.ErrorKey(code))
	}
	b, err := json.Marshal(messages)
	return string(b), err
}

// StuckTransmission is a transmission active for longer than SendingTooLong.
type StuckTransmission struct {
	SerieID          uuid.UUID               `bun:"serie_id"`
	SerieName        string                  `bun:"serie_name"`
	OrganizationID   uuid.UUID               `bun:"organization_id"`
	OrganizationName string                  `bun:"organization_name"`
	Organisms        []declarations.Organism `bun:"organisms,array"`
	Status           transmissions.Status    `bun:"status"`
	CreatedAt        time.Time               `bun:"created_at"`
	UpdatedAt        time.Time               `bun:"updated_at"`
}

// maxStuck bounds the transmissions shown as sending for too long: more
// means the worker is down, which the jobs page says.
const maxStuck = 50

// StuckTransmissions lists the transmissions active since before
// now - SendingTooLong, the oldest first, in one statement (the index
// transmissions_active_idx holds the active ones). now is cut to the minute:
// the statement's text, hence its prepared plan (db.ScanCached), then serves
// a minute of page views.
func StuckTransmissions(ctx context.Context, d *db.DB, organism declarations.Organism, now time.Time) (out []StuckTransmission, err error) {
	defer derrors.Wrap(&err, "admin: transmissions sending for too long")
	now = now.Truncate(time.Minute)
	q := d.NewSelect().TableExpr("transmissions AS t").
		Join("JOIN event_series AS s ON s.id = t.event_serie_id").
		Join("JOIN organizations AS o ON o.id = t.organization_id").
		ColumnExpr("s.id AS serie_id, s.name AS serie_name, o.id AS organization_id, o.name AS organization_name").
		ColumnExpr("t.organisms, t.status, t.created_at, t.updated_at").
		Where("t.status <> ? AND t.created_at < ?", transmissions.StatusFinished, now.Add(-SendingTooLong)).
		OrderExpr("t.created_at, t.id").Limit(maxStuck)
	if organism != "" {
		q.Where("? = ANY(t.organisms)", organism)
	}
	err = d.ScanCached(ctx, q, &out)
	return out, err
}
