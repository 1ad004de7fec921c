package synchronization

import (
	"context"

	"github.com/uptrace/bun"

	"assistant-declaration/app/derrors"
)

// SeedDemoSystems connects one ticketing system to every demo organization
// (SIREN starting with sirenPrefix) that has none, in one statement: the
// systems cycle through every connector, about one in twenty is in error
// (with a code, an HTTP status and an excerpt), and their credentials are a
// placeholder nobody can decrypt (demo rows are never synchronized). It
// returns the number of systems added.
func SeedDemoSystems(ctx context.Context, idb bun.IDB, sirenPrefix string) (_ int64, err error) {
	defer derrors.Wrap(&err, "synchronization: seed the demo ticketing systems")
	res, err := idb.NewRaw(`
		INSERT INTO ticketing_systems (organization_id, name, credentials, created_at, last_synchronized_at,
			last_error_code, last_error_http_status, last_error_excerpt, last_error_at)
		SELECT o.id, (ARRAY['BILLETWEB','HELLOASSO','MAPADO','SHOTGUN','SOTICKET','SUPERSONIKS'])[1 + h % 6], '\x00'::bytea,
			o.created_at + interval '1 day', now() - (h % 48) * interval '1 hour',
			CASE WHEN h % 20 = 0 THEN (ARRAY['unauthorized','remoteServerError','rateLimited'])[1 + h / 20 % 3] END,
			CASE WHEN h % 20 = 0 THEN (ARRAY[401, 502, 429])[1 + h / 20 % 3] END,
			CASE WHEN h % 20 = 0 THEN 'demo error' END,
			CASE WHEN h % 20 = 0 THEN now() - (h % 72) * interval '1 hour' END
		FROM (SELECT id, created_at, abs(hashtext(id::text)::bigint) AS h FROM organizations WHERE official_id LIKE ? || '%') o
		WHERE NOT EXISTS (SELECT 1 FROM ticketing_systems t WHERE t.organization_id = o.id AND t.deleted_at IS NULL)`,
		sirenPrefix).Exec(ctx)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
