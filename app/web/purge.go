package web

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"assistant-declaration/jobs"
)

// PurgeJobs are the purges of this package's tables (decision P3's sessions,
// the rate limiter's and CSRF middleware's k/v storage):
//
//	purge-expired-sessions  every 15 min    sessions past expires_at
//	purge-expired-kv        hourly, at :05  k/v entries past their expiry
func PurgeJobs() []jobs.Purge {
	return []jobs.Purge{
		{Name: "purge-expired-sessions", Cron: "*/15 * * * *", Delete: PurgeExpiredSessions},
		{Name: "purge-expired-kv", Cron: "5 * * * *", Delete: PurgeExpiredStorage},
	}
}

// PurgeExpiredSessions deletes the sessions past their expiry (signed-in or
// anonymous alike).
func PurgeExpiredSessions(ctx context.Context, idb bun.IDB) (int64, error) {
	res, err := idb.NewRaw(`DELETE FROM sessions WHERE expires_at < now()`).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("web: purge sessions: %w", err)
	}
	return res.RowsAffected()
}

// PurgeExpiredStorage deletes the expired k/v storage entries (e is unix
// seconds, 0 means never).
func PurgeExpiredStorage(ctx context.Context, idb bun.IDB) (int64, error) {
	res, err := idb.NewRaw(`DELETE FROM kv_storage WHERE e > 0 AND e < extract(epoch FROM now())`).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("web: purge k/v storage: %w", err)
	}
	return res.RowsAffected()
}
