package admin

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
)

// AuditPage is one page of the audit log, newest first, with the cursors of
// the pages around it (keyset pagination: no OFFSET on an ever-growing table).
type AuditPage struct {
	Entries []audit.Entry
	// Newer and Older are the ids to page from, 0 when there is no such page.
	Newer int64
	Older int64
}

// ListAudit returns the page of audit entries of f.
func ListAudit(ctx context.Context, idb bun.IDB, f AuditFilter) (AuditPage, error) {
	var entries []audit.Entry
	q := idb.NewSelect().Model(&entries).Limit(PageSize + 1)
	if f.Action != "" {
		q.Where("action = ?", f.Action)
	}
	if f.Email != "" {
		email := strings.ToLower(f.Email)
		q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("lower(actor_email) = ?", email).WhereOr("lower(subject_email) = ?", email)
		})
	}
	if !f.From.IsZero() {
		q.Where("occurred_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q.Where("occurred_at < ?", f.To.AddDate(0, 0, 1))
	}
	// Going back to newer entries reads upwards from the cursor, then flips.
	newerPage := f.After > 0 && f.Before == 0
	switch {
	case newerPage:
		q.Where("id > ?", f.After).Order("id ASC")
	case f.Before > 0:
		q.Where("id < ?", f.Before).Order("id DESC")
	default:
		q.Order("id DESC")
	}
	if err := q.Scan(ctx); err != nil {
		return AuditPage{}, fmt.Errorf("admin: list audit entries before %d, after %d: %w", f.Before, f.After, err)
	}
	more := len(entries) > PageSize
	if more {
		entries = entries[:PageSize]
	}
	if newerPage {
		slices.Reverse(entries)
	}
	p := AuditPage{Entries: entries}
	if len(entries) == 0 {
		return p, nil
	}
	first, last := entries[0].ID, entries[len(entries)-1].ID
	switch {
	case newerPage:
		p.Older = last
		if more {
			p.Newer = first
		}
	default:
		if f.Before > 0 {
			p.Newer = first
		}
		if more {
			p.Older = last
		}
	}
	return p, nil
}
