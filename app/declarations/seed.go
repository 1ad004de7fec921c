package declarations

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// demoSeriePrefix marks the demo series' remote ids: seeding again adds
// only what is missing.
const demoSeriePrefix = "demo-"

// SeedDemoSeries gives every ticketing system of the demo organizations
// (SIREN starting with sirenPrefix) perSystem series, perSerie performances
// each, and their declarations, in one INSERT … SELECT statement computed by
// the database (the national dataset's 2 000 000 performances seed in two
// minutes, not row by row). Distributions are derived from hashes, so they
// are plausible and the same on every run: shows spread over the two years
// to October 2026 (no declaration dated in the future), revenues of a few
// hundred to a few thousand euros per performance, SACEM expected for seven
// series in eight and SACD for three in eight; six series in ten have their
// declarations, of which about 3 % failed (several error codes of each
// organism), 5 % are still pending and the rest were accepted days to weeks
// after the last performance. Each draw reads other digits of
// the serie's hash (a quotient by 7 for the outcome, by 1009 for the dates):
// drawn from the same ones, the failures would all fall in the same weeks.
// It returns the rows added.
//
// The rows get time-ordered ids (UUID version 7: this run's millisecond,
// then a counter) and are inserted in id order, series by series: every
// index of the three tables then grows at its right edge instead of taking
// random writes all over, which is most of a bulk load's time once the
// indexes outgrow the cache. A serie that already exists (a second run) is
// left out with its performances and declarations, in the same statement:
// an interrupted run leaves nothing half-made.
func SeedDemoSeries(ctx context.Context, idb bun.IDB, sirenPrefix string, perSystem, perSerie int) (series, events, declarations int64, err error) {
	defer derrors.Wrap(&err, "declarations: seed the demo series")
	if perSystem < 1 || perSerie < 1 {
		return 0, 0, 0, fmt.Errorf("%d series of %d performances: both must be at least 1", perSystem, perSerie)
	}
	// The first 17 hex digits of a UUID v7: 48 bits of milliseconds, the
	// version, 12 bits left at zero and the variant; a counter of up to 15
	// digits completes each id.
	prefix := fmt.Sprintf("%012x70008", time.Now().UnixMilli())
	err = idb.NewRaw(`
		WITH systems AS (
			SELECT t.id, t.created_at, row_number() OVER (ORDER BY t.id) - 1 AS i
			FROM ticketing_systems t JOIN organizations o ON o.id = t.organization_id AND o.official_id LIKE ?0 || '%'
			WHERE t.deleted_at IS NULL
		), s AS (
			INSERT INTO event_series (id, ticketing_system_id, internal_ticketing_system_id, name, expected_declaration_types, created_at)
			SELECT (?1 || lpad(to_hex(t.i * ?2 + k), 15, '0'))::uuid, t.id, ?3 || k,
				(ARRAY['Le Songe','Hamlet','Concert de printemps','Les Fourberies','Bal folk','Carmen','Cirque d''hiver','Impro'])[1 + (abs(hashtext(t.id::text)::bigint) + k) % 8] || ' ' || k,
				CASE WHEN (abs(hashtext(t.id::text)::bigint) + k) % 8 < 5 THEN ARRAY['SACEM'] WHEN (abs(hashtext(t.id::text)::bigint) + k) % 8 = 7 THEN ARRAY['SACD'] ELSE ARRAY['SACEM','SACD'] END,
				t.created_at
			FROM systems t CROSS JOIN generate_series(1, ?2) AS k
			ORDER BY 1
			ON CONFLICT (ticketing_system_id, internal_ticketing_system_id) DO NOTHING
			RETURNING id, expected_declaration_types AS types, abs(hashtext(id::text)::bigint) AS h
		), e AS (
			INSERT INTO events (id, event_serie_id, internal_ticketing_system_id, start_at, end_at,
				ticketing_revenue_including_taxes, ticketing_revenue_excluding_taxes, paid_tickets, free_tickets)
			SELECT (?1 || lpad(to_hex(row_number() OVER ()), 15, '0'))::uuid, s.id, ?3 || p,
				timestamptz '2024-11-01 20:00+01' + (s.h / 1009 % 660 + p * 2) * interval '1 day',
				timestamptz '2024-11-01 22:00+01' + (s.h / 1009 % 660 + p * 2) * interval '1 day',
				round((200 + (s.h + p * 7919) % 4800)::numeric, 2), round(((200 + (s.h + p * 7919) % 4800) / 1.055)::numeric, 2),
				20 + (s.h + p) % 300, (s.h + p) % 12
			-- The set-returning function in the select list keeps each serie's
			-- performances together, in the series' order.
			FROM (SELECT s.id, s.h, generate_series(1, ?4) AS p FROM s) s
		), d AS (
			-- The last performance ends perSerie * 2 days after the first.
			INSERT INTO event_serie_declarations (id, event_serie_id, type, status, transmitted_at, last_transmission_error, last_transmission_error_at)
			SELECT (?1 || lpad(to_hex(row_number() OVER ()), 15, '0'))::uuid, s.id, o.type,
				CASE WHEN s.h / 7 % 100 < 3 OR s.h / 7 % 100 >= 95 THEN 'PENDING' ELSE 'PROCESSED' END,
				CASE WHEN s.h / 7 % 100 BETWEEN 3 AND 94 THEN last.at + (1 + s.h / 11 % 60) * interval '1 day' END,
				CASE WHEN s.h / 7 % 100 < 3 THEN CASE o.type
					WHEN 'SACEM' THEN (ARRAY['sacemAgencyNotFound','sacemDeclarationUnsuccessful','transmissionInterrupted','transmissionFailed'])[1 + s.h / 13 % 4]
					ELSE (ARRAY['sacdAgencyNotFound','sacdDeclarationIncorrectDeclarant','sacdDeclarationRefused','network'])[1 + s.h / 13 % 4] END END,
				CASE WHEN s.h / 7 % 100 < 3 THEN last.at + (1 + s.h / 11 % 60) * interval '1 day' END
			FROM s CROSS JOIN LATERAL (SELECT timestamptz '2024-11-01 22:00+01' + (s.h / 1009 % 660 + ?4 * 2) * interval '1 day' AS at) last
			CROSS JOIN LATERAL unnest(s.types) AS o(type)
			WHERE s.h % 10 < 6
			RETURNING 1
		)
		SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM d)`,
		sirenPrefix, prefix, perSystem, demoSeriePrefix, perSerie).Scan(ctx, &series, &declarations)
	return series, series * int64(perSerie), declarations, err
}
