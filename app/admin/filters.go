package admin

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/synchronization"
)

// OrganizationFilter is the state of the organizations list.
type OrganizationFilter struct {
	Listing
	Sacem YesNo // "" is any
	Sacd  YesNo
	Since time.Time // created on or after
}

var organizationSorts = []string{"name", "created"}

// ParseOrganizationFilter reads the organizations list state from the URL.
func ParseOrganizationFilter(get query) (OrganizationFilter, derrors.Fields) {
	errs := derrors.Fields{}
	f := OrganizationFilter{Listing: newListing(paths.To.AdminOrganizationsQuery, get, organizationSorts)}
	f.Sacem = choose(&f.Listing, get, "sacem", yes, no)
	f.Sacd = choose(&f.Listing, get, "sacd", yes, no)
	f.Since = f.date(get, "since", errs)
	return f, errs
}

// selects are the choice filters of the organizations form.
func (f OrganizationFilter) selects() []SelectFilter {
	return []SelectFilter{
		{Name: "sacem", Label: "admin.organizations.hasSacem", Options: options(f.Sacem, yes, no)},
		{Name: "sacd", Label: "admin.organizations.hasSacd", Options: options(f.Sacd, yes, no)},
	}
}

// UserFilter is the state of the users list.
type UserFilter struct {
	Listing
	Status   UserStatus // "" is any
	Admin    YesNo
	Activity Activity
}

var userSorts = []string{"email", "created", "activity"}

// ParseUserFilter reads the users list state from the URL; its filters are
// all choices, so nothing is ever invalid.
func ParseUserFilter(get query) UserFilter {
	f := UserFilter{Listing: newListing(paths.To.AdminUsersQuery, get, userSorts)}
	f.Status = choose(&f.Listing, get, "status", UserStatuses...)
	f.Admin = choose(&f.Listing, get, "admin", yes, no)
	f.Activity = choose(&f.Listing, get, "activity", activityRecent, activityDormant, activityNever)
	return f
}

// selects are the choice filters of the users form.
func (f UserFilter) selects() []SelectFilter {
	return []SelectFilter{
		{Name: "status", Label: "admin.users.status", Options: options(f.Status, UserStatuses...)},
		{Name: "admin", Label: "admin.users.admin", Options: options(f.Admin, yes, no)},
		{Name: "activity", Label: "admin.users.lastActivity", Options: options(f.Activity, activityRecent, activityDormant, activityNever)},
	}
}

// AuditFilter is the state of the audit log page: keyset pagination on the
// entry id (Before: older than, After: newer than), never OFFSET.
type AuditFilter struct {
	Listing
	Action AuditAction
	Email  string
	From   time.Time
	To     time.Time // inclusive day: entries before the next midnight
	Before int64
	After  int64
}

// AuditActions are the actions the audit log filter offers: the log's own and
// those the domains record, each labelled by admin.audit.actions.<action>.
var AuditActions = auditActions(slices.Concat(audit.Actions,
	[]string{organizations.ActionCreate, organizations.ActionUpdate, organizations.ActionInvite,
		organizations.ActionInvitationRevoke, organizations.ActionInvitationDecline, organizations.ActionJoin, organizations.ActionLeave},
	[]string{synchronization.AuditSystemConnected, synchronization.AuditSystemUpdated, synchronization.AuditSystemDisconnected},
	// The series package keeps its action names unexported.
	[]string{"serie_created", "serie_updated", "serie_deleted"}))

func auditActions(names []string) []AuditAction {
	actions := make([]AuditAction, len(names))
	for i, n := range names {
		actions[i] = AuditAction(n)
	}
	return actions
}

// auditActionPattern accepts actions other domains add without listing them here.
var auditActionPattern = regexp.MustCompile(`^[a-z_]{1,50}$`)

// ParseAuditFilter reads the audit log state from the URL.
func ParseAuditFilter(get query) (AuditFilter, derrors.Fields) {
	errs := derrors.Fields{}
	f := AuditFilter{Listing: newListing(paths.To.AdminAuditQuery, get, nil)}
	if a := get("action"); auditActionPattern.MatchString(a) {
		f.Action = AuditAction(a)
		f.extra.Set("action", a)
	}
	if e := strings.TrimSpace(get("email")); e != "" && len(e) <= 254 {
		f.Email = e
		f.extra.Set("email", e)
	}
	f.From = f.date(get, "from", errs)
	f.To = f.date(get, "to", errs)
	// A malformed cursor is no cursor: the first page.
	f.Before, _ = strconv.ParseInt(get("before"), 10, 64)
	f.After, _ = strconv.ParseInt(get("after"), 10, 64)
	return f, errs
}

// ActionFilter is the action select of the audit log form.
func (f AuditFilter) ActionFilter() SelectFilter {
	return SelectFilter{Name: "action", Label: "admin.audit.action", Options: options(f.Action, AuditActions...)}
}

// CursorURL is the address of the page of entries older (key "before") or
// newer (key "after") than id.
func (f AuditFilter) CursorURL(key string, id int64) string {
	v := f.values()
	v.Set(key, strconv.FormatInt(id, 10))
	return f.at(v)
}

// likePattern turns user text into a LIKE pattern matching it anywhere, its
// own % and _ taken literally.
func likePattern(s string) string {
	return "%" + likeEscaper.Replace(s) + "%"
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

var digitsOnly = regexp.MustCompile(`^\d+$`)
