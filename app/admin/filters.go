package admin

import (
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/web"
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
	Base  string
	Query string
	Sort  string
	Page  int
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

func (l Listing) withValues(v url.Values) string {
	if len(v) == 0 {
		return l.Base
	}
	return l.Base + "?" + v.Encode()
}

// PageURL is the address of page p of the current view.
func (l Listing) PageURL(p int) string {
	v := l.values()
	if p > 1 {
		v.Set("page", strconv.Itoa(p))
	}
	return l.withValues(v)
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
	return l.withValues(v)
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

// ExportURL is the CSV export of the current view (every page).
func (l Listing) ExportURL(path string) string {
	l.Base = path
	return l.withValues(l.values())
}

// Value returns the raw value of one of the list's own filters, for the form.
func (l Listing) Value(key string) string { return l.extra.Get(key) }

// query is the subset of fiber.Ctx filters are parsed from (testable alone).
type query func(key string) string

func newListing(base string, get query, sorts []string) Listing {
	l := Listing{Base: base, Query: strings.TrimSpace(get("q")), extra: url.Values{}, Page: 1}
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

// choice keeps a filter value only when it is one of allowed.
func (l *Listing) choice(get query, key string, allowed ...string) string {
	v := get(key)
	if !slices.Contains(allowed, v) {
		return ""
	}
	l.extra.Set(key, v)
	return v
}

// dateLayouts are the accepted date filter formats: what a date picker sends,
// and the JJ/MM/AAAA the error message asks for where the browser has none.
var dateLayouts = []string{time.DateOnly, "02/01/2006"}

// date parses a date filter as midnight in Paris; an invalid date is kept as
// typed and reported next to its field.
func (l *Listing) date(get query, key string, errs web.FormErrors) time.Time {
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

// Yes/no filters.
const (
	yes = "yes"
	no  = "no"
)

// OrganizationFilter is the state of the organizations list.
type OrganizationFilter struct {
	Listing
	Sacem string // yes, no or "" (any)
	Sacd  string
	Since time.Time // created on or after
}

var organizationSorts = []string{"name", "created"}

// ParseOrganizationFilter reads the organizations list state from the URL.
func ParseOrganizationFilter(get query) (OrganizationFilter, web.FormErrors) {
	errs := web.FormErrors{}
	f := OrganizationFilter{Listing: newListing("/admin", get, organizationSorts)}
	f.Sacem = f.choice(get, "sacem", yes, no)
	f.Sacd = f.choice(get, "sacd", yes, no)
	f.Since = f.date(get, "since", errs)
	return f, errs
}

// User statuses.
const (
	StatusRegistered = "registered"
	StatusConfirmed  = "confirmed"
	StatusDisabled   = "disabled"
)

// Activity filters of the users list.
const (
	activityRecent  = "recent"  // active in the last 30 days
	activityDormant = "dormant" // not active for a year or more
	activityNever   = "never"   // never active
	recentActivity  = 30 * 24 * time.Hour
	dormantAfter    = 365 * 24 * time.Hour
)

// UserFilter is the state of the users list.
type UserFilter struct {
	Listing
	Status   string
	Admin    string // yes, no or ""
	Activity string
}

var userSorts = []string{"email", "created", "activity"}

// ParseUserFilter reads the users list state from the URL; its filters are
// all choices, so nothing is ever invalid.
func ParseUserFilter(get query) UserFilter {
	f := UserFilter{Listing: newListing("/admin/users", get, userSorts)}
	f.Status = f.choice(get, "status", StatusRegistered, StatusConfirmed, StatusDisabled)
	f.Admin = f.choice(get, "admin", yes, no)
	f.Activity = f.choice(get, "activity", activityRecent, activityDormant, activityNever)
	return f
}

// AuditFilter is the state of the audit log page: keyset pagination on the
// entry id (Before: older than, After: newer than), never OFFSET.
type AuditFilter struct {
	Listing
	Action string
	Email  string
	From   time.Time
	To     time.Time // inclusive day: entries before the next midnight
	Before int64
	After  int64
}

// AuditActions are the actions the audit log filter offers: the log's own and
// those the domains record, each labelled by admin.audit.actions.<action>.
var AuditActions = slices.Concat(audit.Actions,
	[]string{organizations.ActionCreate, organizations.ActionUpdate, organizations.ActionInvite,
		organizations.ActionInvitationRevoke, organizations.ActionJoin, organizations.ActionLeave},
	[]string{synchronization.AuditSystemConnected, synchronization.AuditSystemUpdated, synchronization.AuditSystemDisconnected},
	// The series package keeps its action names unexported.
	[]string{"serie_created", "serie_updated", "serie_deleted"})

// auditActionPattern accepts actions other domains add without listing them here.
var auditActionPattern = regexp.MustCompile(`^[a-z_]{1,50}$`)

// ParseAuditFilter reads the audit log state from the URL.
func ParseAuditFilter(get query) (AuditFilter, web.FormErrors) {
	errs := web.FormErrors{}
	f := AuditFilter{Listing: newListing("/admin/audit", get, nil)}
	if a := get("action"); auditActionPattern.MatchString(a) {
		f.Action = a
		f.extra.Set("action", a)
	}
	if e := strings.TrimSpace(get("email")); e != "" && len(e) <= 254 {
		f.Email = e
		f.extra.Set("email", e)
	}
	f.From = f.date(get, "from", errs)
	f.To = f.date(get, "to", errs)
	f.Before, _ = strconv.ParseInt(get("before"), 10, 64)
	f.After, _ = strconv.ParseInt(get("after"), 10, 64)
	return f, errs
}

// CursorURL is the address of the page of entries older (key "before") or
// newer (key "after") than id.
func (f AuditFilter) CursorURL(key string, id int64) string {
	v := f.values()
	v.Set(key, strconv.FormatInt(id, 10))
	return f.withValues(v)
}

// likePattern turns user text into a LIKE pattern matching it anywhere, its
// own % and _ taken literally.
func likePattern(s string) string {
	return "%" + likeEscaper.Replace(s) + "%"
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

var digitsOnly = regexp.MustCompile(`^\d+$`)
