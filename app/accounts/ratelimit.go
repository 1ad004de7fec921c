package accounts

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/web"
)

// Limit allows Max attempts per Window for one key (an IP or an account).
type Limit struct {
	Name   string
	Max    int
	Window time.Duration
}

// Limits of the anonymous forms (decision P4, docs/decisions.md). Per-IP limits are generous
// (offices share an address), per-account ones strict; the per-account
// sign-in limit stays above MaxFailedSignIns so the lockout speaks first.
var (
	signInPerIP      = Limit{"sign-in-ip", 30, 5 * time.Minute}
	signInPerAccount = Limit{"sign-in-account", 30, 15 * time.Minute}
	signUpPerIP      = Limit{"sign-up-ip", 10, time.Hour}
	signUpPerAccount = Limit{"sign-up-account", 3, time.Hour}
	retrievePerIP    = Limit{"retrieve-ip", 10, time.Hour}
	retrievePerAcct  = Limit{"retrieve-account", 3, time.Hour}
	resendPerIP      = Limit{"resend-ip", 10, time.Hour}
	resendPerAccount = Limit{"resend-account", 3, time.Hour}
	resetPerIP       = Limit{"reset-ip", 20, time.Hour}
	proConnectPerIP  = Limit{"proconnect-ip", 30, 5 * time.Minute}
	// Deleting one's account asks for the password: a stolen session must not
	// be able to guess it there.
	deletePerAccount = Limit{"delete-account", 10, time.Hour}
)

// Limiter counts attempts in fixed windows stored in kv_storage, so every
// instance of the application shares the counters; the purge job deletes
// expired windows.
type Limiter struct {
	db  bun.IDB
	now func() time.Time
}

// NewLimiter returns a limiter over db.
func NewLimiter(db bun.IDB) *Limiter { return &Limiter{db: db, now: time.Now} }

// Hit counts one attempt for key and returns how long to wait when the limit
// is exceeded (0 otherwise). One upsert: concurrent hits are all counted.
func (l *Limiter) Hit(ctx context.Context, lim Limit, key string) (_ time.Duration, err error) {
	defer derrors.Wrap(&err, "accounts: count a hit of %s for %q", lim.Name, key)
	now := l.now()
	count, windowEnd, err := web.CountHit(ctx, l.db, "ratelimit:"+lim.Name+":"+strings.ToLower(key), lim.Window, now)
	if err != nil || count <= lim.Max {
		return 0, err
	}
	return max(windowEnd.Sub(now), time.Second), nil
}
