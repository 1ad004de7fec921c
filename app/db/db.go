// Package db opens the PostgreSQL pool shared by Bun, the HTTP storage and the
// job locker, and runs the embedded migrations under an advisory lock.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
)

// DB bundles the Bun handle with the pgx pool underneath it, so the code that
// needs raw pgx (LISTEN, COPY for CSV exports) shares the same connections.
type DB struct {
	*bun.DB
	Pool *pgxpool.Pool
}

// Open connects to PostgreSQL. It does not fail when the server is down: pgx
// dials lazily, which lets the app start and report 503 on /readyz until the
// database comes back.
func Open(ctx context.Context, url string, maxConns int32) (*DB, error) {
	return OpenTraced(ctx, url, maxConns, nil)
}

// OpenTraced is Open with tracer seeing every statement of the pool, Bun's
// and pgx's alike (tests count them with it).
func OpenTraced(ctx context.Context, url string, maxConns int32, tracer pgx.QueryTracer) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("db: invalid DATABASE_URL: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	cfg.HealthCheckPeriod = 15 * time.Second
	// Bun builds complete SQL itself; prepared statements add a round trip.
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	cfg.ConnConfig.RuntimeParams["timezone"] = "UTC"
	cfg.ConnConfig.Tracer = tracer
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("db: %w", err)
	}
	sqldb := stdlib.OpenDBFromPool(pool)
	bdb := bun.NewDB(sqldb, pgdialect.New(), bun.WithDiscardUnknownColumns())
	return &DB{DB: bdb, Pool: pool}, nil
}

// Close closes Bun's database/sql wrapper and the pool.
func (d *DB) Close() {
	_ = d.DB.Close() // at shutdown: nothing is left to do about a failed close
	d.Pool.Close()
}

// IsUniqueViolation reports whether err is a unique constraint failure, and on
// which constraint, so stores can turn it into a field error.
func IsUniqueViolation(err error) (string, bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		return pgErr.ConstraintName, true
	}
	return "", false
}

// IsNoRows reports whether err is a read of one row that found none.
func IsNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// RunInTx runs fn in a transaction on any Bun handle. fn's error comes back
// as is: the caller, which knows what the transaction was for, wraps it.
func RunInTx(ctx context.Context, db bun.IDB, fn func(ctx context.Context, tx bun.Tx) error) error {
	return db.RunInTx(ctx, &sql.TxOptions{}, fn)
}

// DiscardConn closes conn's physical connection, ending its session and any
// advisory lock it holds. Returning driver.ErrBadConn from Raw alone is not
// enough with a pgxpool-backed database/sql: database/sql then "closes" the
// driver connection, which only releases it to the pool, session included.
// Closing the pgx connection first makes the pool destroy it on release.
func DiscardConn(ctx context.Context, conn *sql.Conn) {
	// Both errors are ignored: the connection is being thrown away, and
	// ErrBadConn is how database/sql is told to drop it.
	_ = conn.Raw(func(dc any) error {
		if c, ok := dc.(*stdlib.Conn); ok {
			_ = c.Conn().Close(ctx)
		}
		return driver.ErrBadConn
	})
	_ = conn.Close()
}

// ScanCached runs Bun's select q on the pool as a statement pgx prepares once
// per connection and caches by its text, and scans its rows into dest as
// q.Scan would. Bun inlines its arguments, so this pays only where the same
// text comes back often: the back office lists' default views, whose
// planning (five joins and their subqueries) costs PostgreSQL more than
// their execution. A new text costs one more round trip, to prepare it; pgx
// keeps the 512 latest per connection.
func (d *DB) ScanCached(ctx context.Context, q *bun.SelectQuery, dest any) error {
	query, err := q.AppendQuery(d.QueryGen(), nil)
	if err != nil {
		return err
	}
	rows, err := d.DB.DB.QueryContext(ctx, string(query), pgx.QueryExecModeCacheStatement)
	if err != nil {
		return err
	}
	defer rows.Close()
	return d.ScanRows(ctx, rows, dest)
}
