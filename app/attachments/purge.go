package attachments

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
	"assistant-declaration/jobs"
)

// UnlinkedRetention is how long an upload may stay linked to no serie.
const UnlinkedRetention = 7 * 24 * time.Hour

// PurgeUnlinked deletes the attachments created before olderThan and linked
// to no serie (an upload interrupted before its link, the documents of a
// deleted serie), then their bytes from store. It returns how many it deleted.
func PurgeUnlinked(ctx context.Context, idb bun.IDB, store Store, olderThan time.Time) (_ int64, err error) {
	defer derrors.Wrap(&err, "attachments: purge unlinked before %s", olderThan.Format(time.RFC3339))
	var ids []uuid.UUID
	err = idb.NewRaw(`DELETE FROM attachments WHERE event_serie_id IS NULL AND created_at < ? RETURNING id`, olderThan).Scan(ctx, &ids)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, id := range ids {
		errs = append(errs, store.Delete(ctx, id))
	}
	return int64(len(ids)), errors.Join(errs...)
}

// RegisterJobs adds the purge-unlinked-attachments job: daily at 03:15 Paris
// (clear of the hour daylight saving time skips or repeats), PurgeUnlinked of
// the uploads older than UnlinkedRetention.
func RegisterJobs(s *jobs.Scheduler, idb bun.IDB, store Store, logger *slog.Logger) (err error) {
	defer derrors.Wrap(&err, "attachments: register the purge job")
	return s.Add("purge-unlinked-attachments", gocron.CronJob("15 3 * * *", false), func(ctx context.Context) error {
		n, err := PurgeUnlinked(ctx, idb, store, time.Now().Add(-UnlinkedRetention))
		if n > 0 {
			logger.Info("purged", "job", "purge-unlinked-attachments", "rows", n)
		}
		return err
	})
}
