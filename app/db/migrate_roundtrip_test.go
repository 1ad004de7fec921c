package db_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun/migrate"

	"assistant-declaration/app/db"
	"assistant-declaration/app/db/dbtest"
	"assistant-declaration/migrations"
)

// TestMigrationsGoDownAndUpAgain applies every migration, rolls every one back, and applies
// them again on a database of its own: each .down.sql must run, leave nothing of the schema
// behind, and let the .up.sql files rebuild the same schema.
func TestMigrationsGoDownAndUpAgain(t *testing.T) {
	d := dbtest.OpenEmpty(t)
	ctx := context.Background()
	if _, err := db.Migrate(ctx, d); err != nil {
		t.Fatalf("first up: %v", err)
	}
	first := schema(t, d)
	if len(first) < 100 {
		t.Fatalf("the schema query found only %d objects after the first up", len(first))
	}

	m := migrate.NewMigrator(d.DB, migrations.Migrations)
	var rolledBack int
	for {
		group, err := m.Rollback(ctx)
		if err != nil {
			t.Fatalf("down: %v", err)
		}
		if group.IsZero() {
			break
		}
		rolledBack += len(group.Migrations)
	}
	if all := len(migrations.Migrations.Sorted()); rolledBack != all {
		t.Errorf("rolled back %d migrations, want all %d", rolledBack, all)
	}
	if left := schema(t, d); len(left) > 0 {
		t.Errorf("the down migrations left %d objects behind:\n%s", len(left), strings.Join(left, "\n"))
	}

	t.Logf("%d schema objects, %d migrations rolled back", len(first), rolledBack)
	applied, err := db.Migrate(ctx, d)
	if err != nil {
		t.Fatalf("second up: %v", err)
	}
	if len(applied) != len(migrations.Migrations.Sorted()) {
		t.Errorf("second up applied %d migrations, want all %d", len(applied), len(migrations.Migrations.Sorted()))
	}
	if again := schema(t, d); !slices.Equal(first, again) {
		t.Errorf("the schema after down and up differs from the first one:\nonly first: %v\nonly again: %v",
			missing(first, again), missing(again, first))
	}
}

// schema describes, one sorted line each, the objects of the public schema that the
// migrations own: tables and their columns, indexes, constraints, sequences, views, functions,
// triggers and types; Bun's own bookkeeping tables and the extensions' objects are left out.
func schema(t *testing.T, d *db.DB) []string {
	t.Helper()
	const notExtension = `NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.objid = %s AND dep.deptype = 'e')`
	queries := []string{
		`SELECT 'relation ' || c.relkind::text || ' ' || c.relname FROM pg_class c
		  WHERE c.relnamespace = 'public'::regnamespace AND c.relname NOT LIKE 'bun\_migration%' AND ` + fmt.Sprintf(notExtension, "c.oid"),
		`SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
		        || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')
		   FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		   LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
		  WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p') AND a.attnum > 0 AND NOT a.attisdropped
		    AND c.relname NOT LIKE 'bun\_migration%' AND ` + fmt.Sprintf(notExtension, "c.oid"),
		`SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE 'bun\_migration%'`,
		`SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
		  WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text NOT LIKE 'bun\_migration%'`,
		`SELECT 'function ' || p.oid::regprocedure || ' ' || md5(pg_get_functiondef(p.oid)) FROM pg_proc p
		  WHERE p.pronamespace = 'public'::regnamespace AND p.prokind IN ('f', 'p') AND ` + fmt.Sprintf(notExtension, "p.oid"),
		`SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal`,
		`SELECT 'type ' || t.typname FROM pg_type t
		  WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'c', 'r', 'm')
		    AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c') AND ` + fmt.Sprintf(notExtension, "t.oid"),
	}
	var out []string
	for _, q := range queries {
		var lines []string
		if err := d.NewRaw(q).Scan(context.Background(), &lines); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		out = append(out, lines...)
	}
	slices.Sort(out)
	return out
}

// missing lists the lines of a absent from b.
func missing(a, b []string) []string {
	var out []string
	for _, s := range a {
		if _, found := slices.BinarySearch(b, s); !found {
			out = append(out, s)
		}
	}
	return out
}
