package users

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// SeedRow is one user of a bulk seed (the large demo data set). Seeded users
// have no password: they cannot sign in.
type SeedRow struct {
	bun.BaseModel `bun:"table:users"`

	Email          string     `bun:"email"`
	FirstName      string     `bun:"first_name"`
	LastName       string     `bun:"last_name"`
	Status         string     `bun:"status"`
	LastActivityAt *time.Time `bun:"last_activity_at"`
	CreatedAt      time.Time  `bun:"created_at"`
}

// SeedMany inserts rows in one statement, leaving out the emails that already
// exist (case-insensitively), so seeding again adds only what is missing.
func SeedMany(ctx context.Context, idb bun.IDB, rows []SeedRow) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := idb.NewInsert().Model(&rows).On("CONFLICT ((lower(email))) DO NOTHING").Exec(ctx); err != nil {
		return fmt.Errorf("users: seed %d users from %s: %w", len(rows), rows[0].Email, err)
	}
	return nil
}
