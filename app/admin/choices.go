package admin

import (
	"html"
	"html/template"
	"slices"
	"time"

	"assistant-declaration/app/locale"
)

// The values of the admin lists' choice filters and of the users' statuses
// are typed: each knows its label (a message key), so no template compares
// strings to pick a label.

// UserStatus is the status of an account, as the users table stores it.
type UserStatus string

// User statuses.
const (
	StatusRegistered UserStatus = "registered"
	StatusConfirmed  UserStatus = "confirmed"
	StatusDisabled   UserStatus = "disabled"
)

// UserStatuses are the statuses, in the order the filter offers them.
var UserStatuses = []UserStatus{StatusRegistered, StatusConfirmed, StatusDisabled}

// LabelKey is the message key of the status.
func (s UserStatus) LabelKey() string { return "admin.status." + string(s) }

// BadgeClass is the DSFR badge modifier showing the status.
func (s UserStatus) BadgeClass() string {
	switch s {
	case StatusConfirmed:
		return "fr-badge--success"
	case StatusDisabled:
		return "fr-badge--error"
	}
	return "fr-badge--info"
}

// Badge is the DSFR badge showing the status, in the users list, on a
// user's page and among an organization's collaborators.
func (s UserStatus) Badge(l *locale.Localizer) template.HTML {
	return template.HTML(`<p class="fr-badge ` + s.BadgeClass() + ` fr-badge--sm">` + html.EscapeString(l.T(s.LabelKey())) + "</p>") //nolint:gosec // escaped
}

// Disabled reports whether the account is disabled (decision P7, docs/decisions.md).
func (s UserStatus) Disabled() bool { return s == StatusDisabled }

// YesNo is a yes/no filter; "" is any.
type YesNo string

// Yes/no filter values.
const (
	yes YesNo = "yes"
	no  YesNo = "no"
)

// LabelKey is the message key of the value.
func (v YesNo) LabelKey() string { return "admin.filters." + string(v) }

// Activity is the users list's filter on the last activity.
type Activity string

// Activity filters of the users list.
const (
	activityRecent  Activity = "recent"  // active in the last 30 days
	activityDormant Activity = "dormant" // not active for a year or more
	activityNever   Activity = "never"   // never active
	recentActivity           = 30 * 24 * time.Hour
	dormantAfter             = 365 * 24 * time.Hour
)

// LabelKey is the message key of the filter value.
func (a Activity) LabelKey() string {
	return map[Activity]string{
		activityRecent: "admin.users.activityRecent", activityDormant: "admin.users.activityDormant",
		activityNever: "admin.users.activityNever",
	}[a]
}

// AuditAction is the action of an audit entry.
type AuditAction string

// LabelKey is the message key of the action.
func (a AuditAction) LabelKey() string { return "admin.audit.actions." + string(a) }

// Option is one choice of a filter's select, for partials/admin/select-filter.
type Option struct {
	Value    string
	LabelKey string
	Selected bool
}

// labelled is a typed filter value.
type labelled interface {
	~string
	LabelKey() string
}

// options lists the choices all, selected marking the current one.
func options[T labelled](selected T, all ...T) []Option {
	opts := make([]Option, len(all))
	for i, v := range all {
		opts[i] = Option{Value: string(v), LabelKey: v.LabelKey(), Selected: v == selected}
	}
	return opts
}

// SelectFilter is a choice filter of a list's form.
type SelectFilter struct {
	Name    string
	Label   string // message key
	Options []Option
}

// parseChoice returns v when it is one of allowed, "" otherwise.
func parseChoice[T ~string](v string, allowed ...T) T {
	if slices.Contains(allowed, T(v)) {
		return T(v)
	}
	return ""
}
