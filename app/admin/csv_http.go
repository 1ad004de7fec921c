package admin

import (
	"bufio"
	"context"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/uptrace/bun"

	"assistant-declaration/app/locale"
	"assistant-declaration/app/web"
)

// exportTimeout bounds one CSV export: it runs after the handler returned, so
// the request's own deadline no longer applies.
const exportTimeout = 5 * time.Minute

// streamCSV sends the rows of q as a CSV file straight from PostgreSQL
// (COPY … TO STDOUT): nothing is buffered in memory whatever the number of
// rows. Semicolons separate fields, as French Excel expects.
func streamCSV(c *fiber.Ctx, pool *pgxpool.Pool, logger *slog.Logger, name string, q *bun.SelectQuery, now time.Time) {
	copySQL := "COPY (" + q.String() + ") TO STDOUT WITH (FORMAT csv, HEADER, DELIMITER ';')"
	requestID := web.RequestID(c)
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+"-"+now.In(locale.Paris).Format("2006-01-02")+`.csv"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
		defer cancel()
		err := copyTo(ctx, pool, w, copySQL)
		if err == nil {
			err = w.Flush()
		}
		if err != nil {
			// Headers are gone: the truncated file is all the client sees,
			// the log says why.
			logger.Error("csv export failed", "request_id", requestID, "export", name, "error", err)
		}
	})
}
