package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/uptrace/bun"

	"assistant-declaration/app/db"
)

// RunRetention is how long job_runs rows are kept.
const RunRetention = 90 * 24 * time.Hour

// SentEmailRetention is how long sent emails stay in the outbox, for support.
// Their bodies hold confirmation, reset and invitation links, whose tokens are
// otherwise stored hashed only.
const SentEmailRetention = 7 * 24 * time.Hour

// ExpiredInvitationRetention is how long an expired invitation stays listed on
// its organization's page, where it can still be sent again or revoked.
const ExpiredInvitationRetention = 30 * 24 * time.Hour

// RegisterCore adds the housekeeping jobs every deployment runs:
//
//	purge-expired-sessions  every 15 min       sessions past expires_at
//	purge-expired-tokens    hourly, at :05     verification tokens and k/v entries past expiry
//	purge-job-runs          daily, 03:30 Paris job_runs older than RunRetention
//	purge-sent-emails       daily, 03:45 Paris outbox emails sent before SentEmailRetention
//	purge-expired-invitations daily, 04:00 Paris invitations expired for ExpiredInvitationRetention
//
// 03:30, 03:45 and 04:00 are clear of the hour daylight saving time skips or repeats.
func RegisterCore(s *Scheduler, d *db.DB) error {
	core := []struct {
		name  string
		cron  string
		purge func(ctx context.Context) (int64, error)
	}{
		{"purge-expired-sessions", "*/15 * * * *", func(ctx context.Context) (int64, error) {
			return PurgeExpiredSessions(ctx, d)
		}},
		{"purge-expired-tokens", "5 * * * *", func(ctx context.Context) (int64, error) {
			return PurgeExpiredTokens(ctx, d)
		}},
		{"purge-job-runs", "30 3 * * *", func(ctx context.Context) (int64, error) {
			return PurgeRuns(ctx, d, time.Now().Add(-RunRetention))
		}},
		{"purge-sent-emails", "45 3 * * *", func(ctx context.Context) (int64, error) {
			return PurgeSentEmails(ctx, d, time.Now().Add(-SentEmailRetention))
		}},
		{"purge-expired-invitations", "0 4 * * *", func(ctx context.Context) (int64, error) {
			return PurgeExpiredInvitations(ctx, d, time.Now().Add(-ExpiredInvitationRetention))
		}},
	}
	for _, c := range core {
		err := s.Add(c.name, gocron.CronJob(c.cron, false), func(ctx context.Context) error {
			n, err := c.purge(ctx)
			if n > 0 {
				s.log.Info("purged", "job", c.name, "rows", n)
			}
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// PurgeExpiredSessions deletes the sessions past their expiry (signed-in or
// anonymous alike).
func PurgeExpiredSessions(ctx context.Context, idb bun.IDB) (int64, error) {
	res, err := idb.NewRaw(`DELETE FROM sessions WHERE expires_at < now()`).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("jobs: purge sessions: %w", err)
	}
	return res.RowsAffected()
}

// PurgeExpiredTokens deletes the verification tokens past their expiry and
// the expired k/v storage entries (e is unix seconds, 0 means never). It
// returns the number of rows deleted from both.
func PurgeExpiredTokens(ctx context.Context, idb bun.IDB) (int64, error) {
	res, err := idb.NewRaw(`DELETE FROM verification_tokens WHERE expires_at < now()`).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("jobs: purge verification tokens: %w", err)
	}
	tokens, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	res, err = idb.NewRaw(`DELETE FROM kv_storage WHERE e > 0 AND e < extract(epoch FROM now())`).Exec(ctx)
	if err != nil {
		return tokens, fmt.Errorf("jobs: purge k/v storage: %w", err)
	}
	kv, err := res.RowsAffected()
	return tokens + kv, err
}

// PurgeSentEmails deletes the outbox emails sent (or caught) before before,
// their attachments with them (cascade). Unsent emails stay whatever their age.
func PurgeSentEmails(ctx context.Context, idb bun.IDB, before time.Time) (int64, error) {
	res, err := idb.NewRaw(`DELETE FROM email_outbox WHERE sent_at < ?`, before).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("jobs: purge sent emails: %w", err)
	}
	return res.RowsAffected()
}

// PurgeExpiredInvitations deletes the invitations that expired before before.
// The audit log keeps that they were sent.
func PurgeExpiredInvitations(ctx context.Context, idb bun.IDB, before time.Time) (int64, error) {
	res, err := idb.NewRaw(`DELETE FROM organization_invitations WHERE expires_at < ?`, before).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("jobs: purge expired invitations: %w", err)
	}
	return res.RowsAffected()
}
