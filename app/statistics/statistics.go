// Package statistics computes the service's monthly figures (decisions P8 and
// P11 in docs/decisions.md) and shows them: the admin statistics page and the
// public impact page. It owns statistics_monthly, the aggregates the
// refresh-statistics job recomputes every 10 minutes from the other domains'
// tables; the pages read only those rows, never the declarations or events.
package statistics

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"github.com/uptrace/bun"

	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/synchronization"
)

// Metrics of statistics_monthly.
const (
	// OrganizationsCreated counts the organizations created in the month.
	OrganizationsCreated = "organizations_created"
	// OrganizationsActive counts the organizations with an accepted
	// declaration or a synchronization in the month.
	OrganizationsActive = "organizations_active"
	// TicketingSystems counts, per system, the connected ticketing systems at
	// the end of the month.
	TicketingSystems = "ticketing_systems"
	// DeclarationsAccepted counts, per organism, the declarations accepted
	// in the month.
	DeclarationsAccepted = "declarations_accepted"
	// AmountsDeclared sums, per organism, the ticketing revenue including
	// taxes of the series whose declaration was accepted in the month.
	AmountsDeclared = "amounts_declared"
	// DeclarationsFailed counts, per "organism|code", the declarations whose
	// last failed transmission was in the month.
	DeclarationsFailed = "declarations_failed"
	// DelayMedianDays is the median number of days from a serie's last
	// performance to its accepted declaration, per month of acceptance.
	DelayMedianDays = "delay_median_days"
)

// month is the first day of the month of a timestamp, in Paris.
const month = "date_trunc('month', %s AT TIME ZONE 'Europe/Paris')::date"

func monthOf(column string) string { return fmt.Sprintf(month, column) }

// refreshSQL recomputes every figure. The accepted declarations are read
// once, each with its serie's figures (revenue, last performance) from the
// serie's performances through the covering index events_serie_start_idx
// (an index-only scan per serie, never a scan of the whole events table), and
// four figures are computed from that one pass.
var refreshSQL = []string{
	`INSERT INTO statistics_monthly (metric, month, value)
	 SELECT '` + OrganizationsCreated + `', ` + monthOf("created_at") + `, count(*) FROM organizations GROUP BY 2`,

	`WITH a AS MATERIALIZED (
	   SELECT d.type, ` + monthOf("d.transmitted_at") + ` AS m, ts.organization_id, f.amount,
	     extract(epoch FROM d.transmitted_at - f.last) / 86400 AS days
	   FROM event_serie_declarations d
	   JOIN event_series s ON s.id = d.event_serie_id
	   JOIN ticketing_systems ts ON ts.id = s.ticketing_system_id
	   CROSS JOIN LATERAL (
	     SELECT coalesce(sum(e.ticketing_revenue_including_taxes), 0) AS amount, max(coalesce(e.end_at, e.start_at)) AS last
	     FROM events e WHERE e.event_serie_id = d.event_serie_id) f
	   WHERE ` + accepted("d") + `
	 ), active AS (
	   INSERT INTO statistics_monthly (metric, month, value)
	   SELECT '` + OrganizationsActive + `', m, count(DISTINCT organization_id) FROM (
	     SELECT organization_id, m FROM a
	     UNION ALL
	     SELECT organization_id, ` + monthOf("started_at") + ` FROM synchronization_runs WHERE started_at IS NOT NULL
	   ) x GROUP BY m
	 ), counts AS (
	   INSERT INTO statistics_monthly (metric, dimension, month, value)
	   SELECT '` + DeclarationsAccepted + `', type, m, count(*) FROM a GROUP BY type, m
	 ), amounts AS (
	   INSERT INTO statistics_monthly (metric, dimension, month, value)
	   SELECT '` + AmountsDeclared + `', type, m, sum(amount) FROM a GROUP BY type, m
	 )
	 INSERT INTO statistics_monthly (metric, month, value)
	 SELECT '` + DelayMedianDays + `', m, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY days)::numeric, 1)
	 FROM a WHERE days IS NOT NULL GROUP BY m`,

	// Every month from a system's first connection to now, so that a month
	// without a new connection still counts the earlier ones: a running sum
	// of the connections per month.
	`WITH c AS (
	   SELECT name, ` + monthOf("created_at") + ` AS m, count(*) AS n FROM ticketing_systems AS ts
	   WHERE ` + synchronization.LiveRemoteSystemSQL("ts") + ` GROUP BY 1, 2
	 )
	 INSERT INTO statistics_monthly (metric, dimension, month, value)
	 SELECT '` + TicketingSystems + `', g.name, g.m, sum(coalesce(c.n, 0)) OVER (PARTITION BY g.name ORDER BY g.m)
	 FROM (SELECT name, m::date AS m FROM (SELECT name, min(m) AS first FROM c GROUP BY name) f
	       CROSS JOIN LATERAL generate_series(f.first, ` + monthOf("now()") + `, interval '1 month') AS m) g
	 LEFT JOIN c ON c.name = g.name AND c.m = g.m`,

	`INSERT INTO statistics_monthly (metric, dimension, month, value)
	 SELECT '` + DeclarationsFailed + `', type || '|' || last_transmission_error, ` + monthOf("last_transmission_error_at") + `, count(*)
	 FROM event_serie_declarations WHERE last_transmission_error IS NOT NULL GROUP BY 2, 3`, // dated with its code: constraint event_serie_declarations_error_dated
}

// accepted is the condition of a declaration row (alias d) an organism
// accepted.
func accepted(d string) string {
	return fmt.Sprintf("%[1]s.status = '%[2]s' AND %[1]s.transmitted_at IS NOT NULL", d, declarations.StatusProcessed)
}

// Refresh recomputes every figure in one transaction: readers see the old
// figures until it commits, then the new ones.
func Refresh(ctx context.Context, idb bun.IDB) (err error) {
	defer derrors.Wrap(&err, "statistics: refresh")
	return idb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM statistics_monthly`); err != nil {
			return fmt.Errorf("clear: %w", err)
		}
		for _, q := range refreshSQL {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%.60s…: %w", q, err)
			}
		}
		return nil
	})
}

// Row is one figure.
type Row struct {
	Metric    string          `bun:"metric"`
	Dimension string          `bun:"dimension"`
	Month     time.Time       `bun:"month"`
	Value     decimal.Decimal `bun:"value,type:numeric"`
}

// Figures are the figures of a period, with when they were computed.
type Figures struct {
	Rows        []Row
	RefreshedAt time.Time
}

// Load reads the figures of the months from first to last (first days of
// months) and when they were computed.
func Load(ctx context.Context, idb bun.IDB, first, last time.Time, metrics ...string) (_ Figures, err error) {
	defer derrors.Wrap(&err, "statistics: load %s to %s", first.Format("2006-01"), last.Format("2006-01"))
	var f Figures
	q := idb.NewSelect().TableExpr("statistics_monthly").Column("metric", "dimension", "month", "value").
		Where("month BETWEEN ? AND ?", first.Format(time.DateOnly), last.Format(time.DateOnly))
	if len(metrics) > 0 {
		q.Where("metric IN (?)", bun.List(metrics))
	}
	if err := q.OrderExpr("metric, dimension, month").Scan(ctx, &f.Rows); err != nil {
		return f, err
	}
	var at []time.Time
	// One transaction wrote every row: they share their refreshed_at.
	if err := idb.NewRaw(`SELECT refreshed_at FROM statistics_monthly LIMIT 1`).Scan(ctx, &at); err != nil {
		return f, err
	}
	if len(at) > 0 {
		f.RefreshedAt = at[0]
	}
	return f, nil
}
