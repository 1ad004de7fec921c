package admin

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"assistant-declaration/app/audit"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/web"
)

// Audit actions of the maintenance banner.
const (
	MaintenancePublished = "maintenance_published"
	MaintenanceCleared   = "maintenance_cleared"
)

// MaxMaintenanceMessage bounds the banner's message (the table checks it too).
const MaxMaintenanceMessage = 500

// maintenanceEndLayout is the value of an <input type="datetime-local">, read
// in Europe/Paris.
const maintenanceEndLayout = "2006-01-02T15:04"

// maintenanceRow is the one row of maintenance_banner.
type maintenanceRow struct {
	bun.BaseModel `bun:"table:maintenance_banner"`

	ID      bool         `bun:"id,pk"`
	Message string       `bun:"message"`
	EndsAt  bun.NullTime `bun:"ends_at"`
}

// MaintenanceForm is what an admin types in /admin/settings.
type MaintenanceForm struct {
	Message string
	// EndsAt is the datetime-local value, empty for "until removed".
	EndsAt string
}

// Validate checks the form against now and returns the banner it publishes.
func (f MaintenanceForm) Validate(now time.Time) (web.Banner, derrors.Fields) {
	errs := derrors.Fields{}
	b := web.Banner{Message: strings.TrimSpace(f.Message)}
	switch {
	case b.Message == "":
		errs.Add("message", "admin.settings.messageRequired")
	case utf8.RuneCountInString(b.Message) > MaxMaintenanceMessage:
		errs.Add("message", "admin.settings.messageTooLong")
	}
	if v := strings.TrimSpace(f.EndsAt); v != "" {
		t, err := time.ParseInLocation(maintenanceEndLayout, v, locale.Paris)
		switch {
		case err != nil:
			errs.Add("endsAt", "admin.settings.endsAtInvalid")
		case !t.After(now):
			errs.Add("endsAt", "admin.settings.endsAtPast")
		default:
			b.EndsAt = t
		}
	}
	return b, errs
}

// EndsAtValue is the form value of a banner's end.
func EndsAtValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(locale.Paris).Format(maintenanceEndLayout)
}

// CurrentBanner is the published banner, expired or not, or nil. It is the
// web.BannerSource of every page (cached there).
func CurrentBanner(ctx context.Context, idb bun.IDB) (_ *web.Banner, err error) {
	defer derrors.Wrap(&err, "admin: load the maintenance banner")
	var row maintenanceRow
	if err := idb.NewSelect().Model(&row).Limit(1).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, err
	}
	return &web.Banner{Message: row.Message, EndsAt: row.EndsAt.Time}, nil
}

// PublishBanner validates form and makes it the banner of every page, audited.
func PublishBanner(ctx context.Context, idb bun.IDB, by audit.Actor, form MaintenanceForm, now time.Time) (err error) {
	defer derrors.Wrap(&err, "admin: publish the maintenance banner")
	banner, errs := form.Validate(now)
	if errs.Any() {
		return errs.Err()
	}
	return idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var endsAt any
		if !banner.EndsAt.IsZero() {
			endsAt = banner.EndsAt
		}
		_, err := tx.NewRaw(`
			INSERT INTO maintenance_banner (id, message, ends_at, updated_at, updated_by) VALUES (true, ?, ?, now(), ?)
			ON CONFLICT (id) DO UPDATE SET message = excluded.message, ends_at = excluded.ends_at,
				updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
			banner.Message, endsAt, by.UserID).Exec(ctx)
		if err != nil {
			return err
		}
		e := by.Entry(MaintenancePublished)
		e.Details["message"] = banner.Message
		if !banner.EndsAt.IsZero() {
			e.Details["ends_at"] = banner.EndsAt
		}
		return recordUserEntry(ctx, tx, e)
	})
}

// ClearBanner removes the banner, audited; removing no banner is a no-op.
func ClearBanner(ctx context.Context, idb bun.IDB, by audit.Actor) (err error) {
	defer derrors.Wrap(&err, "admin: remove the maintenance banner")
	return idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*maintenanceRow)(nil)).Where("id").Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return recordUserEntry(ctx, tx, by.Entry(MaintenanceCleared))
	})
}
