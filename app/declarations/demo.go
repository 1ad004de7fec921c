package declarations

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/db"
	"assistant-declaration/app/derrors"
)

// demoSerie is a serie of the demonstration data.
type demoSerie struct {
	internalID, name string
	// fill completes the serie and its performances after their insertion.
	fill string
}

var demoSeries = []demoSerie{
	// Ready to declare: the specification's worked example, nothing chosen yet.
	{"demo-cracheur-de-feu", "Le cracheur de feu", `
UPDATE events SET consumptions_revenue_including_taxes = 60, consumptions_revenue_excluding_taxes = 50,
  catering_revenue_including_taxes = 110.4, catering_revenue_excluding_taxes = 92,
  program_sales_revenue_including_taxes = 63.6, program_sales_revenue_excluding_taxes = 53,
  other_revenue_including_taxes = 162, other_revenue_excluding_taxes = 135
WHERE event_serie_id = ?0 AND internal_ticketing_system_id IN ('1', '2')`},
	// Half filled: organisms, producer and kind chosen; expenses and place to do.
	{"demo-fourberies", "Les Fourberies de Scapin", `
UPDATE event_series SET expected_declaration_types = '{SACEM,SACD}', performance_type = 'THEATRE_AND_STORYTELLING_AND_MIME',
  producer_official_id = '130025265', producer_name = 'Compagnie du Grand Théâtre', place_capacity = 120, last_manual_update_at = now()
WHERE id = ?0`},
}

// SeedDemo adds to organization orgID the demonstration series of the
// declaration form, typed by hand (in its MANUAL ticketing system, system): one ready to
// declare, one half filled. It is idempotent: dev mode calls it at every start.
func SeedDemo(ctx context.Context, idb bun.IDB, orgID, system uuid.UUID) (err error) {
	defer derrors.Wrap(&err, "declarations: demo data of %s", orgID)
	return db.RunInTx(ctx, idb, func(ctx context.Context, tx bun.Tx) error {
		start := time.Now().AddDate(0, -1, 0).Truncate(24 * time.Hour).Add(19*time.Hour + 30*time.Minute)
		for _, s := range demoSeries {
			var serie uuid.UUID
			err := tx.NewRaw(`INSERT INTO event_series (ticketing_system_id, internal_ticketing_system_id, name) VALUES (?, ?, ?)
ON CONFLICT (ticketing_system_id, internal_ticketing_system_id) DO NOTHING RETURNING id`, system, s.internalID, s.name).Scan(ctx, &serie)
			if db.IsNoRows(err) {
				continue // already seeded
			}
			if err != nil {
				return err
			}
			for i, r := range []struct{ incl, excl, free, paid any }{{"105.5", "100", 9, 10}, {"263.75", "250", 35, 43}, {"1021", "1000", 86, 99}} {
				if _, err := tx.NewRaw(`INSERT INTO events (event_serie_id, internal_ticketing_system_id, start_at, end_at,
  ticketing_revenue_including_taxes, ticketing_revenue_excluding_taxes, free_tickets, paid_tickets) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
					serie, i+1, start.AddDate(0, 0, i), start.AddDate(0, 0, i).Add(2*time.Hour), r.incl, r.excl, r.free, r.paid).Exec(ctx); err != nil {
					return err
				}
			}
			if _, err := tx.NewRaw(s.fill, serie).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
}
