package declarations

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// demoSeriePrefix marks the demo series' remote ids: seeding again adds
// only what is missing.
const demoSeriePrefix = "demo-"

// SeedDemoSeries gives every ticketing system of the demo organizations
// (SIREN starting with sirenPrefix) perSystem series, perSerie performances
// each, and their declarations, in three INSERT … SELECT statements computed
// by the database (the national dataset seeds in minutes, not row by row).
// Distributions are derived from hashes, so they are plausible and the same
// on every run: shows spread over two years, revenues of a few hundred to a
// few thousand euros per performance, SACEM expected for seven series in
// eight and SACD for three in eight; six series in ten have their
// declarations, of which about 3 % failed (several error codes), 5 % are
// still pending and the rest were accepted days to weeks after the last
// performance. It returns the rows added.
func SeedDemoSeries(ctx context.Context, idb bun.IDB, sirenPrefix string, perSystem, perSerie int) (series, events, declarations int64, err error) {
	defer derrors.Wrap(&err, "declarations: seed the demo series")
	exec := func(what, query string, args ...any) (int64, error) {
		res, err := idb.NewRaw(query, args...).Exec(ctx)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", what, err)
		}
		return res.RowsAffected()
	}
	series, err = exec("series", `
		INSERT INTO event_series (ticketing_system_id, internal_ticketing_system_id, name, expected_declaration_types, created_at)
		SELECT t.id, ? || k, (ARRAY['Le Songe','Hamlet','Concert de printemps','Les Fourberies','Bal folk','Carmen','Cirque d''hiver','Impro'])[1 + (abs(hashtext(t.id::text)::bigint) + k) % 8] || ' ' || k,
			CASE WHEN (abs(hashtext(t.id::text)::bigint) + k) % 8 < 5 THEN ARRAY['SACEM'] WHEN (abs(hashtext(t.id::text)::bigint) + k) % 8 = 7 THEN ARRAY['SACD'] ELSE ARRAY['SACEM','SACD'] END,
			t.created_at
		FROM ticketing_systems t JOIN organizations o ON o.id = t.organization_id AND o.official_id LIKE ? || '%'
		CROSS JOIN generate_series(1, ?) AS k
		WHERE t.deleted_at IS NULL
		ON CONFLICT (ticketing_system_id, internal_ticketing_system_id) DO NOTHING`,
		demoSeriePrefix, sirenPrefix, perSystem)
	if err != nil {
		return 0, 0, 0, err
	}
	demo := `SELECT s.id, s.expected_declaration_types AS types, abs(hashtext(s.id::text)::bigint) AS h FROM event_series s
		JOIN ticketing_systems t ON t.id = s.ticketing_system_id JOIN organizations o ON o.id = t.organization_id
		WHERE o.official_id LIKE ? || '%' AND s.internal_ticketing_system_id LIKE ? || '%'`
	events, err = exec("events", `
		INSERT INTO events (event_serie_id, internal_ticketing_system_id, start_at, end_at,
			ticketing_revenue_including_taxes, ticketing_revenue_excluding_taxes, paid_tickets, free_tickets)
		SELECT d.id, ? || p, timestamptz '2025-01-01 20:00+01' + (d.h % 700 + p * 2) * interval '1 day',
			timestamptz '2025-01-01 22:00+01' + (d.h % 700 + p * 2) * interval '1 day',
			round((200 + (d.h + p * 7919) % 4800)::numeric, 2), round(((200 + (d.h + p * 7919) % 4800) / 1.055)::numeric, 2),
			20 + (d.h + p) % 300, (d.h + p) % 12
		FROM (`+demo+`) d CROSS JOIN generate_series(1, ?) AS p
		WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.event_serie_id = d.id)`,
		demoSeriePrefix, sirenPrefix, demoSeriePrefix, perSerie)
	if err != nil {
		return series, 0, 0, err
	}
	declarations, err = exec("declarations", `
		INSERT INTO event_serie_declarations (event_serie_id, type, status, transmitted_at, last_transmission_error, last_transmission_error_at)
		SELECT d.id, o.type,
			CASE WHEN d.h / 7 % 100 < 3 OR d.h / 7 % 100 >= 95 THEN 'PENDING' ELSE 'PROCESSED' END,
			CASE WHEN d.h / 7 % 100 BETWEEN 3 AND 94 THEN last.at + (1 + d.h / 11 % 60) * interval '1 day' END,
			CASE WHEN d.h / 7 % 100 < 3 THEN (ARRAY['agencyNotFound','sacdWrongId','sacdUnavailable','smtpUnavailable'])[1 + d.h / 13 % 4] END,
			CASE WHEN d.h / 7 % 100 < 3 THEN last.at + (1 + d.h / 11 % 60) * interval '1 day' END
		FROM (`+demo+`) d
		CROSS JOIN LATERAL (SELECT max(e.end_at) AS at FROM events e WHERE e.event_serie_id = d.id) last
		CROSS JOIN LATERAL unnest(d.types) AS o(type)
		WHERE d.h % 10 < 6
		ON CONFLICT (event_serie_id, type) DO NOTHING`,
		sirenPrefix, demoSeriePrefix)
	return series, events, declarations, err
}
