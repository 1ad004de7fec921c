// Package migrations embeds the SQL migrations of the application.
//
// File names follow Bun's convention: YYYYMMDDHHMMSS_name.tx.up.sql runs in one
// transaction; a plain .up.sql runs without one (needed for CREATE INDEX CONCURRENTLY).
package migrations

import (
	"embed"

	"github.com/uptrace/bun/migrate"
)

//go:embed *.sql
var sqlFS embed.FS

// Migrations is the set of every migration shipped in the binary.
var Migrations = migrate.NewMigrations()

func init() {
	if err := Migrations.Discover(sqlFS); err != nil {
		panic(err)
	}
}
