package web

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Banner is the maintenance message an admin publishes for every visitor.
type Banner struct {
	Message string
	// EndsAt is when it stops showing by itself; zero means until removed.
	EndsAt time.Time
}

// ShownAt tells whether the banner is to be shown at now.
func (b *Banner) ShownAt(now time.Time) bool {
	return b != nil && b.Message != "" && (b.EndsAt.IsZero() || now.Before(b.EndsAt))
}

// BannerSource loads the current banner (nil when there is none).
type BannerSource func(ctx context.Context) (*Banner, error)

// BannerTTL is how long an instance keeps the banner in memory: every page
// shows it without a query, and an instance sees a change within this delay,
// whatever instance the admin used.
const BannerTTL = 5 * time.Second

// bannerCache keeps the banner for BannerTTL. On a failed load it keeps the
// previous value (a banner matters most when the database struggles) and
// tries again after the TTL.
type bannerCache struct {
	load   BannerSource
	logger *slog.Logger
	now    func() time.Time

	mu      sync.Mutex
	banner  *Banner
	expires time.Time
}

// get returns the banner to show now, or nil. One request refreshes an
// expired banner, outside the lock: the pages rendered meanwhile show the
// previous one instead of waiting for the database.
func (b *bannerCache) get(ctx context.Context) *Banner {
	b.mu.Lock()
	now := b.now()
	refresh := now.After(b.expires)
	if refresh {
		b.expires = now.Add(BannerTTL)
	}
	banner := b.banner
	b.mu.Unlock()
	if refresh {
		// A page's deadline must not be spent on the banner.
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		loaded, err := b.load(lctx)
		cancel()
		if err != nil {
			b.logger.Warn("maintenance banner not refreshed", "err", err)
		} else {
			b.mu.Lock()
			b.banner, banner = loaded, loaded
			b.mu.Unlock()
		}
	}
	if !banner.ShownAt(now) {
		return nil
	}
	return banner
}

// SetBannerSource makes every page show the banner load returns, kept in
// memory for BannerTTL.
func (m *Middleware) SetBannerSource(load BannerSource) {
	m.banner = &bannerCache{load: load, logger: m.logger, now: time.Now}
}

const bannerLocal = "web.banner"

// bannerLocals hands the banner cache to the pages of the request; the
// banner itself is read only by pages that render the layout.
func (m *Middleware) bannerLocals(c *fiber.Ctx) error {
	if m.banner != nil {
		c.Locals(bannerLocal, m.banner)
	}
	return c.Next()
}

// CurrentBanner is the maintenance banner shown to this request, or nil.
func CurrentBanner(c *fiber.Ctx) *Banner { return PageContext{c: c}.Banner() }

// Banner is the maintenance banner to show on the page, or nil.
func (p PageContext) Banner() *Banner {
	cache, _ := p.c.Locals(bannerLocal).(*bannerCache)
	if cache == nil {
		return nil
	}
	return cache.get(p.c.UserContext())
}

// RefreshBanner makes the next page of this instance load the banner again:
// the instance where an admin changed it shows the change at once, the
// others within BannerTTL.
func (m *Middleware) RefreshBanner() {
	if m.banner == nil {
		return
	}
	m.banner.mu.Lock()
	m.banner.expires = time.Time{}
	m.banner.mu.Unlock()
}
