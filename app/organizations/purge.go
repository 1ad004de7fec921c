package organizations

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/jobs"
)

// ExpiredInvitationRetention is how long an expired invitation stays listed on
// its organization's page, where it can still be sent again or revoked.
const ExpiredInvitationRetention = 30 * 24 * time.Hour

// PurgeJobs are the purges of this package's tables:
// purge-expired-invitations, daily at 04:00 Paris (clear of the hour daylight
// saving time skips or repeats), deletes the invitations expired for
// ExpiredInvitationRetention.
func PurgeJobs() []jobs.Purge {
	return []jobs.Purge{{Name: "purge-expired-invitations", Cron: "0 4 * * *", Delete: func(ctx context.Context, idb bun.IDB) (int64, error) {
		return PurgeExpiredInvitations(ctx, idb, time.Now().Add(-ExpiredInvitationRetention))
	}}}
}

// PurgeExpiredInvitations deletes the invitations that expired before before.
// The audit log keeps that they were sent.
func PurgeExpiredInvitations(ctx context.Context, idb bun.IDB, before time.Time) (_ int64, err error) {
	defer derrors.Wrap(&err, "organizations: purge invitations expired before %s", before)
	res, err := idb.NewRaw(`DELETE FROM organization_invitations WHERE expires_at < ?`, before).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
