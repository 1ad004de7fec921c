// Package synchronization connects organizations to their ticketing systems and synchronizes
// their series and events from them (rules S6–S13 and decisions T1–T5, T9–T11, docs/decisions.md): encrypted
// credentials, the diff-and-upsert algorithm, background runs followed by the page, the nightly
// job, and the pages to connect, update, disconnect and synchronize.
package synchronization

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/declarations"
	"assistant-declaration/app/ticketing"
)

// MaxSystemsPerOrganization bounds the live systems of an organization (rule S6, docs/decisions.md).
const MaxSystemsPerOrganization = 10

// LiveRemoteSystemSQL is the condition on the ticketing_systems row aliased alias that makes it
// a live remote system: not disconnected, and not the MANUAL pseudo-system of the series typed
// in by hand. The systems pages, the nightly runs, the organization page and the statistics count
// this set.
func LiveRemoteSystemSQL(alias string) string {
	return alias + ".deleted_at IS NULL AND " + alias + ".name <> '" + string(ticketing.Manual) + "'"
}

// System is a row of ticketing_systems. Credentials stay sealed: only the synchronizer and the
// connection check open them (SystemsAndRuns reads systems as JSON, without them).
type System struct {
	bun.BaseModel `bun:"table:ticketing_systems,alias:s"`

	ID                           uuid.UUID        `bun:"id,pk" json:"id"`
	OrganizationID               uuid.UUID        `bun:"organization_id" json:"organization_id"`
	Name                         ticketing.System `bun:"name" json:"name"`
	Credentials                  []byte           `bun:"credentials" json:"-"`
	LastSynchronizedAt           *time.Time       `bun:"last_synchronized_at" json:"last_synchronized_at"`
	ForceNextSynchronizationFrom *time.Time       `bun:"force_next_synchronization_from" json:"force_next_synchronization_from"`
	LastErrorCode                *string          `bun:"last_error_code" json:"last_error_code"`
	LastErrorArgument            string           `bun:"last_error_argument,nullzero" json:"last_error_argument"`
	LastErrorHTTPStatus          *int             `bun:"last_error_http_status" json:"last_error_http_status"`
	LastErrorExcerpt             *string          `bun:"last_error_excerpt" json:"last_error_excerpt"`
	LastErrorAt                  *time.Time       `bun:"last_error_at" json:"last_error_at"`
	DeletedAt                    *time.Time       `bun:"deleted_at" json:"deleted_at"`
	CreatedAt                    time.Time        `bun:"created_at,nullzero,default:now()" json:"created_at"`
	UpdatedAt                    time.Time        `bun:"updated_at,nullzero,default:now()" json:"updated_at"`
}

// SystemInError is a system whose last synchronization failed, with its organization's name,
// for the admin list.
type SystemInError struct {
	System           `bun:",extend"`
	OrganizationName string `bun:"organization_name"`
}

// serieRow is a stored serie as the synchronization reads it: the columns it writes, and whether
// it is frozen.
type serieRow struct {
	declarations.SynchronizedSerieRow `bun:",extend"`
	// Frozen is computed: the serie has a declaration row, whatever its status (declared or being
	// declared, rule S11 in docs/decisions.md).
	Frozen bool `bun:"frozen,scanonly"`
}

// eventRow is a stored event as the synchronization reads it: the columns it writes, and the
// marks of the user's edits.
type eventRow struct {
	declarations.SynchronizedEventRow `bun:",extend"`
	LastManualUpdate                  *time.Time `bun:"last_manual_ticketing_data_update_at"`
	RemovedAt                         *time.Time `bun:"removed_from_ticketing_system_at"`
}

// ListSystemsForOrganization returns the organization's live remote systems (MANUAL excluded),
// oldest first.
func ListSystemsForOrganization(ctx context.Context, idb bun.IDB, organizationID uuid.UUID) ([]System, error) {
	var systems []System
	err := idb.NewSelect().Model(&systems).
		Where("s.organization_id = ?", organizationID).Where(LiveRemoteSystemSQL("s")).
		Order("created_at", "id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("synchronization: list the systems of %s: %w", organizationID, err)
	}
	return systems, nil
}

// ListSystemsInError returns every live system whose last synchronization failed, most recent
// failure first.
func ListSystemsInError(ctx context.Context, idb bun.IDB) ([]SystemInError, error) {
	var systems []SystemInError
	err := idb.NewSelect().Model(&systems).
		ColumnExpr("s.*").ColumnExpr("o.name AS organization_name").
		Join("JOIN organizations AS o ON o.id = s.organization_id").
		Where("s.deleted_at IS NULL AND s.last_error_code IS NOT NULL").
		Order("s.last_error_at DESC").Limit(500).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("synchronization: list the systems in error: %w", err)
	}
	return systems, nil
}

// getSystem loads a live system of the organization; a system of another organization is not found.
func getSystem(ctx context.Context, idb bun.IDB, organizationID, id uuid.UUID) (*System, error) {
	s := new(System)
	err := idb.NewSelect().Model(s).
		Where("s.id = ? AND s.organization_id = ?", id, organizationID).Where(LiveRemoteSystemSQL("s")).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrSystemNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("synchronization: get system %s of %s: %w", id, organizationID, err)
	}
	return s, nil
}
