package web

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/jobs"
)

// PurgeJobs are the purges of this package's tables (decision P3 in docs/decisions.md's sessions,
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
func PurgeExpiredSessions(ctx context.Context, idb bun.IDB) (_ int64, err error) {
	defer derrors.Wrap(&err, "web: purge expired sessions")
	res, err := idb.NewRaw(`DELETE FROM sessions WHERE expires_at < now()`).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// PurgeExpiredStorage deletes the expired k/v storage entries (e is unix
// seconds, 0 means never).
func PurgeExpiredStorage(ctx context.Context, idb bun.IDB) (_ int64, err error) {
	defer derrors.Wrap(&err, "web: purge expired storage")
	res, err := idb.NewRaw(`DELETE FROM kv_storage WHERE e > 0 AND e < extract(epoch FROM now())`).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Limit allows Max hits per Window for one key (an IP, an account, an
// organization): the rate limits of the anonymous forms and of invitations.
type Limit struct {
	Name   string
	Max    int
	Window time.Duration
}

// HitLimit counts one hit of key under lim and returns how long to wait when
// the limit is exceeded (0 otherwise). The counters are fixed windows in
// kv_storage, so every instance shares them, and one statement counts each
// hit, so concurrent hits are all counted; the purge job deletes expired
// windows.
func HitLimit(ctx context.Context, idb bun.IDB, lim Limit, key string, now time.Time) (wait time.Duration, err error) {
	key = "ratelimit:" + lim.Name + ":" + strings.ToLower(key)
	var count int
	var expires int64
	err = idb.NewRaw(`INSERT INTO kv_storage (k, v, e) VALUES (?, '1', ?)
		ON CONFLICT (k) DO UPDATE SET
			v = CASE WHEN kv_storage.e <= ? THEN '1'::bytea
				ELSE convert_to((convert_from(kv_storage.v, 'UTF8')::int + 1)::text, 'UTF8') END,
			e = CASE WHEN kv_storage.e <= ? THEN EXCLUDED.e ELSE kv_storage.e END
		RETURNING convert_from(v, 'UTF8')::int, e`,
		key, now.Add(lim.Window).Unix(), now.Unix(), now.Unix()).Scan(ctx, &count, &expires)
	if err != nil {
		return 0, fmt.Errorf("web: count a hit on %s: %w", key, err)
	}
	if count <= lim.Max {
		return 0, nil
	}
	return max(time.Unix(expires, 0).Sub(now), time.Second), nil
}
