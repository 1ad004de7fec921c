package accounts

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/web"
)

// Limit allows Max attempts per Window for one key (an IP or an account).
type Limit = web.Limit

// Limits of the anonymous forms (decision P4, docs/decisions.md). Per-IP limits are generous
// (offices share an address), per-account ones strict; the per-account
// sign-in limit stays above MaxFailedSignIns so the lockout speaks first.
var (
	signInPerIP      = Limit{Name: "sign-in-ip", Max: 30, Window: 5 * time.Minute}
	signInPerAccount = Limit{Name: "sign-in-account", Max: 30, Window: 15 * time.Minute}
	signUpPerIP      = Limit{Name: "sign-up-ip", Max: 10, Window: time.Hour}
	signUpPerAccount = Limit{Name: "sign-up-account", Max: 3, Window: time.Hour}
	retrievePerIP    = Limit{Name: "retrieve-ip", Max: 10, Window: time.Hour}
	retrievePerAcct  = Limit{Name: "retrieve-account", Max: 3, Window: time.Hour}
	resendPerIP      = Limit{Name: "resend-ip", Max: 10, Window: time.Hour}
	resendPerAccount = Limit{Name: "resend-account", Max: 3, Window: time.Hour}
	resetPerIP       = Limit{Name: "reset-ip", Max: 20, Window: time.Hour}
	proConnectPerIP  = Limit{Name: "proconnect-ip", Max: 30, Window: 5 * time.Minute}
	// Deleting one's account asks for the password: a stolen session must not
	// be able to guess it there.
	deletePerAccount = Limit{Name: "delete-account", Max: 10, Window: time.Hour}
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
	return web.HitLimit(ctx, l.db, lim, key, l.now())
}
