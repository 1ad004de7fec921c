package admin

import (
	"bufio"
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"assistant-declaration/app/derrors"
)

// utf8BOM makes Excel read the file as UTF-8 (accents in names).
const utf8BOM = "\ufeff"

func copyTo(ctx context.Context, pool *pgxpool.Pool, w *bufio.Writer, copySQL string) (err error) {
	defer derrors.Wrap(&err, "admin: csv export")
	if _, err := w.WriteString(utf8BOM); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire a connection: %w", err)
	}
	defer conn.Release()
	if _, err = conn.Conn().PgConn().CopyTo(ctx, w, copySQL); err != nil {
		return fmt.Errorf("copy: %w", err)
	}
	return nil
}
