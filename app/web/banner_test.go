package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"
)

// The banner is loaded once per BannerTTL, kept when a load fails, and
// hidden once its end is past without waiting for the next load.
func TestBannerCache(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	loads := 0
	var next *Banner
	var failing error
	c := &bannerCache{
		load: func(context.Context) (*Banner, error) {
			loads++
			return next, failing
		},
		logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		now:    func() time.Time { return now },
	}
	ctx := context.Background()
	next = &Banner{Message: "Maintenance à 18 h", EndsAt: now.Add(time.Minute)}
	if b := c.get(ctx); b == nil || b.Message != "Maintenance à 18 h" {
		t.Fatalf("first get = %v", b)
	}
	next = nil
	now = now.Add(BannerTTL / 2)
	if c.get(ctx) == nil || loads != 1 {
		t.Fatalf("within the TTL: %d loads, want 1 and the cached banner", loads)
	}
	failing = errors.New("database down")
	now = now.Add(BannerTTL)
	if c.get(ctx) == nil || loads != 2 {
		t.Fatalf("failed load: %d loads, want 2 and the previous banner kept", loads)
	}
	now = now.Add(time.Minute)
	if b := c.get(ctx); b != nil {
		t.Fatalf("expired banner still shown: %v", b)
	}
	failing = nil
	now = now.Add(BannerTTL * 2)
	if b := c.get(ctx); b != nil || loads != 4 {
		t.Fatalf("removed banner: %v after %d loads", b, loads)
	}
}
