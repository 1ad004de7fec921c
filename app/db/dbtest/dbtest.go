// Package dbtest gives each test package its own freshly migrated PostgreSQL
// database on the cluster named by TEST_DATABASE_URL.
//
// Tests share that database and keep out of each other's way by creating their
// own rows (random emails, new organizations) rather than by truncating, so they
// can run with t.Parallel().
package dbtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"assistant-declaration/app/db"
)

var (
	once      sync.Once
	shared    *db.DB
	sharedURL string
	openErr   error
	empties   atomic.Int64
)

// Open returns the package's test database, creating and migrating it on the
// first call. Without TEST_DATABASE_URL the test fails rather than skips, so
// that `go test ./...` never reports a green run that tested nothing; set
// SKIP_DATABASE_TESTS=1 to skip the database tests on purpose.
func Open(tb testing.TB) *db.DB {
	tb.Helper()
	adminURL := os.Getenv("TEST_DATABASE_URL")
	if adminURL == "" {
		if os.Getenv("SKIP_DATABASE_TESTS") == "1" {
			tb.Skip("SKIP_DATABASE_TESTS=1: database test skipped")
		}
		tb.Fatal(missingDatabase)
	}
	once.Do(func() { shared, sharedURL, openErr = create(adminURL) })
	if openErr != nil {
		tb.Fatalf("test database: %v", openErr)
	}
	return shared
}

// missingDatabase is the one line a database test fails with when no database is configured.
const missingDatabase = "TEST_DATABASE_URL is not set: run the tests with `make test`, or set TEST_DATABASE_URL=postgres://user@host:port/db (a cluster where databases can be created), or SKIP_DATABASE_TESTS=1 to skip the database tests"

// URL is the connection string of the package's test database (valid after Open).
func URL() string { return sharedURL }

// OpenEmpty returns a new database that no migration has touched, dropped when
// the test ends: for tests of the migrations themselves.
func OpenEmpty(tb testing.TB) *db.DB {
	tb.Helper()
	Open(tb)
	ctx := context.Background()
	u, err := url.Parse(sharedURL)
	if err != nil {
		tb.Fatal(err)
	}
	name := fmt.Sprintf("%s_empty_%d", strings.TrimPrefix(u.Path, "/"), empties.Add(1))
	admin, err := pgx.Connect(ctx, os.Getenv("TEST_DATABASE_URL"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %q WITH (FORCE)`, name)); err != nil {
			tb.Errorf("drop %s: %v", name, err)
		}
		_ = admin.Close(ctx) // the drop above is what matters
	})
	if _, err := admin.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %q`, name)); err != nil {
		tb.Fatal(err)
	}
	u.Path = "/" + name
	d, err := db.Open(ctx, u.String(), 4)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(d.Close)
	return d
}

func create(adminURL string) (*db.DB, string, error) {
	ctx := context.Background()
	wd, _ := os.Getwd()
	sum := sha256.Sum256([]byte(wd))
	// One database per package and per process, so two test runs in the same
	// checkout never share (or drop) each other's database.
	prefix := "t_" + strings.ReplaceAll(filepath.Base(wd), "-", "_") + "_" + hex.EncodeToString(sum[:4])
	name := fmt.Sprintf("%s_%d", prefix, os.Getpid())

	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return nil, "", err
	}
	defer conn.Close(ctx)
	// Databases of earlier runs of this package: drop those nobody uses any more
	// (a plain DROP fails on a database another run is connected to).
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE $1`, prefix+"\\_%")
	if err != nil {
		return nil, "", err
	}
	stale, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, "", err
	}
	for _, old := range stale {
		_, _ = conn.Exec(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %q`, old))
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf(`CREATE DATABASE %q`, name)); err != nil {
		return nil, "", err
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		return nil, "", err
	}
	u.Path = "/" + name
	d, err := db.Open(ctx, u.String(), 20)
	if err != nil {
		return nil, "", err
	}
	if _, err := db.Migrate(ctx, d); err != nil {
		return nil, "", err
	}
	return d, u.String(), nil
}
