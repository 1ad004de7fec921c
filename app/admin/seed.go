package admin

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/statistics"
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/users"
)

// DemoUsersPerOrganization is how many collaborators each demo organization gets.
const DemoUsersPerOrganization = 3

// MaxDemoOrganizations bounds the demo SIREN range (9 then 8 digits).
const MaxDemoOrganizations = 99_999_999

// demoSIRENPrefix starts the SIREN of every demo organization.
const demoSIRENPrefix = "9"

// seedBatch is how many demo organizations one round of bulk inserts holds:
// memory stays bounded whatever the number asked for.
const seedBatch = 2000

// SeedOrganizations makes sure n demo organizations exist, each with
// DemoUsersPerOrganization collaborators (`demo seed --organizations N`, and
// the admin benchmark). It is idempotent: demo rows are recognized by their
// SIREN (9 followed by the zero-padded number) and emails, so running it
// again adds only what is missing. Rows are generated here and written in
// bulk, batch by batch in one transaction, by the tables' owners. Demo users
// have no password: they cannot sign in, only be looked at (or impersonated)
// from the back office.
func SeedOrganizations(ctx context.Context, idb bun.IDB, n int) (err error) {
	defer derrors.Wrap(&err, "admin: seed %d organizations", n)
	if n < 0 || n > MaxDemoOrganizations {
		return fmt.Errorf("organizations must be between 0 and %d", MaxDemoOrganizations)
	}
	now := time.Now()
	return idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for first := 1; first <= n; first += seedBatch {
			orgs, people, links := demoBatch(first, min(first+seedBatch-1, n), now)
			if err := organizations.SeedMany(ctx, tx, orgs); err != nil {
				return fmt.Errorf("organizations %d to %d: %w", first, first+len(orgs)-1, err)
			}
			if err := users.SeedMany(ctx, tx, people); err != nil {
				return fmt.Errorf("users of organizations %d to %d: %w", first, first+len(orgs)-1, err)
			}
			if err := organizations.SeedManyMemberships(ctx, tx, links); err != nil {
				return fmt.Errorf("collaborators of organizations %d to %d: %w", first, first+len(orgs)-1, err)
			}
		}
		return nil
	})
}

// Names mix accents and common words so that search, accent folding and
// ranking are exercised on realistic data.
var (
	demoCities     = []string{"Paris", "Lyon", "Marseille", "Lille", "Nantes", "Rennes", "Toulouse", "Bordeaux"}
	demoKinds      = []string{"Théâtre", "Compagnie", "Association", "Festival", "Collectif", "Scène", "Ensemble", "Orchestre", "Cirque", "Troupe"}
	demoNames      = []string{"du Soleil", "des Lumières", "de la Lune", "Étoile", "du Rivage", "des Halles", "Mosaïque", "du Nord", "des Îles", "Arc-en-ciel", "du Vent", "des Tilleuls"}
	demoFirstNames = []string{"Camille", "Léa", "Hélène", "Noé", "Zoé", "Jérôme", "Inès", "François", "Chloé", "Raphaël"}
	demoLastNames  = []string{"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Lefèvre"}
)

// demoBatch generates demo organizations first to last (inclusive), their
// users and memberships. Everything derives from the numbers: the same call
// gives the same rows.
func demoBatch(first, last int, now time.Time) ([]organizations.Organization, []users.SeedRow, []organizations.SeedMembership) {
	day := 24 * time.Hour
	var orgs []organizations.Organization
	var people []users.SeedRow
	var links []organizations.SeedMembership
	for i := first; i <= last; i++ {
		siren := fmt.Sprintf(demoSIRENPrefix+"%08d", i)
		o := organizations.Organization{
			Name:       demoKinds[i%10] + " " + demoNames[(i/10)%12] + " " + strconv.Itoa(i),
			OfficialID: siren, OfficialHeadquartersID: siren + "00011",
			CreatedAt: now.Add(-time.Duration(i%730) * day),
			HeadquartersAddress: &organizations.PostalAddress{
				Street: strconv.Itoa(i) + " rue de la Démo", City: demoCities[i%8], PostalCode: fmt.Sprintf("%02d000", 1+i%95), CountryCode: "FR",
			},
		}
		if i%2 == 0 {
			o.SacemID = demoRegistryID(i, 387_420_489)
		}
		if i%3 == 0 {
			o.SacdID = demoRegistryID(i, 282_475_249)
		}
		orgs = append(orgs, o)
		for k := 1; k <= DemoUsersPerOrganization; k++ {
			u := users.SeedRow{
				Email:     fmt.Sprintf("demo-%d-%d@demo.assistant-declaration.fr", i, k),
				FirstName: demoFirstNames[(i+k)%10], LastName: demoLastNames[(i*3+k)%10],
				Status: string(demoStatus(i*3 + k)), CreatedAt: o.CreatedAt,
			}
			if (i+k)%7 != 0 {
				at := now.Add(-time.Duration((i*3+k)%800) * day)
				u.LastActivityAt = &at
			}
			people = append(people, u)
			links = append(links, organizations.SeedMembership{OfficialID: siren, Email: u.Email})
		}
	}
	return orgs, people, links
}

// demoRegistryID is the SACEM or SACD id of demo organization i: i times a
// large power of 3 or 7 modulo 10^9, unique for every i (the factor is
// coprime with 10^9) and in no relation to the order rows are inserted in,
// as real ids are. Ids rising with the insertion order, as the SIREN does,
// make the planner take a scan of the id's index for a cheap sequential read
// of half the table, when it fetches the rows one by one.
func demoRegistryID(i, factor int) *string {
	id := strconv.Itoa(i * factor % 1_000_000_000)
	return &id
}

// demoStatus makes one demo user in twenty registered, one disabled.
func demoStatus(n int) UserStatus {
	switch n % 20 {
	case 0:
		return StatusRegistered
	case 1:
		return StatusDisabled
	}
	return StatusConfirmed
}

// SeedCommand runs `demo seed --organizations N` (args start after "demo").
func SeedCommand(ctx context.Context, idb bun.IDB, logger *slog.Logger, args []string) (err error) {
	defer derrors.Wrap(&err, "admin: seed command %q", args)
	if len(args) == 0 || args[0] != "seed" {
		return errors.New("usage: demo seed --organizations N [--series-per-organization S --performances-per-series P] | demo seed --national")
	}
	fs := flag.NewFlagSet("demo seed", flag.ContinueOnError)
	n := fs.Int("organizations", 0, "number of demo organizations (each with 3 collaborators) that must exist")
	national := fs.Bool("national", false, "the national dataset: 20 000 organizations, 60 000 users, 400 000 series, 2 000 000 performances, about 300 000 declarations")
	series := fs.Int("series-per-organization", 0, "series of each demo organization (with a ticketing system, performances and declarations); 0 for none")
	performances := fs.Int("performances-per-series", NationalPerformancesPerSerie, "performances of each demo series")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *national {
		*n, *series = NationalOrganizations, NationalSeriesPerOrganization
	}
	start := time.Now()
	if err := SeedOrganizations(ctx, idb, *n); err != nil {
		return err
	}
	logger.Info("demo organizations seeded", "organizations", *n, "users", *n*DemoUsersPerOrganization, "duration", time.Since(start))
	if *series == 0 {
		return nil
	}
	counts, err := SeedActivity(ctx, idb, logger, *series, *performances)
	logger.Info("demo activity seeded", "systems", counts.Systems, "series", counts.Series, "performances", counts.Events,
		"declarations", counts.Declarations, "duration", time.Since(start))
	return err
}

// The national dataset's shape (`demo seed --national`).
const (
	NationalOrganizations         = 20_000
	NationalSeriesPerOrganization = 20
	NationalPerformancesPerSerie  = 5
)

// SeedCounts are the rows a seed added.
type SeedCounts struct {
	Systems, Series, Events, Declarations int64
}

// SeedActivity gives every demo organization a ticketing system (every
// connector, some in error), series series of performances performances
// each, and their declarations (about 3 % failed), through the owners of
// those tables; then updates the planner's statistics and the visibility
// map of the loaded tables, as autovacuum would in a while, and recomputes
// the statistics' figures. Each step's time goes to logger. Like
// SeedOrganizations it adds only what is missing.
func SeedActivity(ctx context.Context, idb bun.IDB, logger *slog.Logger, series, performances int) (counts SeedCounts, err error) {
	defer derrors.Wrap(&err, "admin: seed the activity of the demo organizations")
	start := time.Now()
	step := func(name string, args ...any) {
		logger.Info("demo seed: "+name, append(args, "duration", time.Since(start).Round(time.Millisecond))...)
		start = time.Now()
	}
	if counts.Systems, err = synchronization.SeedDemoSystems(ctx, idb, demoSIRENPrefix); err != nil {
		return counts, err
	}
	step("ticketing systems", "rows", counts.Systems)
	counts.Series, counts.Events, counts.Declarations, err = declarations.SeedDemoSeries(ctx, idb, demoSIRENPrefix, series, performances)
	if err != nil {
		return counts, err
	}
	step("series, performances and declarations", "series", counts.Series, "performances", counts.Events, "declarations", counts.Declarations)
	// Without fresh planner statistics the next statements, the refresh
	// first, would plan for the empty tables the migrations made.
	if _, err := idb.ExecContext(ctx, "VACUUM (ANALYZE) "+strings.Join(seededTables, ", ")); err != nil {
		return counts, fmt.Errorf("vacuum the seeded tables: %w", err)
	}
	step("vacuum analyze")
	if err := statistics.Refresh(ctx, idb); err != nil {
		return counts, err
	}
	step("statistics refresh")
	return counts, nil
}

// seededTables are the tables the demo seed fills.
var seededTables = []string{"addresses", "organizations", "users", "collaborators", "ticketing_systems",
	"event_series", "events", "event_serie_declarations"}
