package benchmarks

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/agencies"
	"assistant-declaration/app/attachments"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/db"
	"assistant-declaration/app/mail/mailtest"
	"assistant-declaration/app/sacd"
	"assistant-declaration/app/sacd/sacdtest"
	"assistant-declaration/app/transmissions"
)

// transmissionBenchSeries is how many declarations are queued at once.
const transmissionBenchSeries = 200

// BenchmarkTransmissions queues 200 declarations to SACD and SACEM (3
// performances and an artistic contract each: SACD's web service, the
// contract e-mailed to the SACD agency, the PDF and the contract e-mailed to
// the SACEM agency) and measures the time until every organism accepted them
// all, against the SACD fake and the SMTP catcher, with the SQL statements per
// transmission of the worker and of the outbox's delivery.
func BenchmarkTransmissions(b *testing.B) {
	ctx := context.Background()
	d := migratedDatabase(b, "bench_transmissions", 10)
	if err := agencies.SeedDemo(ctx, d); err != nil {
		b.Fatal(err)
	}
	fake := sacdtest.New(b)
	catcher := mailtest.Start(b)
	sender := mailtest.Sender(b, catcher)
	worker, delivery := &statementCounter{}, &statementCounter{}
	counted := &db.DB{DB: d.DB.WithQueryHook(worker), Pool: d.Pool}
	mailDB := &db.DB{DB: d.DB.WithQueryHook(delivery), Pool: d.Pool}
	cfg := fake.Config()
	svc := &transmissions.Service{DB: counted, Store: attachments.PGStore{DB: counted},
		Sacd: func(uuid.UUID) sacd.Client { return sacd.NewHTTPClient(cfg) }, MaxMessageSize: 20 << 20, BaseURL: "http://bench.test"}

	var userID uuid.UUID
	if err := d.NewRaw(`INSERT INTO users (email, first_name, last_name, status) VALUES ('bench-transmit@example.org', 'Camille', 'Déclarante', 'confirmed') RETURNING id`).
		Scan(ctx, &userID); err != nil {
		b.Fatal(err)
	}
	actor := audit.Actor{UserID: userID, Email: "bench-transmit@example.org"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		type serie struct{ org, id uuid.UUID }
		series := make([]serie, transmissionBenchSeries)
		for k := range series {
			series[k] = benchSerie(b, d, i*transmissionBenchSeries+k)
		}
		for _, s := range series {
			if _, _, err := transmissions.Transmit(ctx, d, s.org, s.id, actor); err != nil {
				b.Fatal(err)
			}
		}
		declaredBefore := len(fake.Declarations())
		worker.reset()
		delivery.reset()
		b.StartTimer()
		start := time.Now()
		for accepted := 0; accepted < 2*transmissionBenchSeries; {
			if err := svc.Tick(ctx); err != nil {
				b.Fatal(err)
			}
			for {
				n, err := sender.SendDue(ctx, mailDB, 100)
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					break
				}
			}
			if err := d.NewRaw(`SELECT count(*) FROM event_serie_declarations WHERE status = 'PROCESSED' AND transmitted_at >= ?`, start).Scan(ctx, &accepted); err != nil {
				b.Fatal(err)
			}
			if time.Since(start) > 5*time.Minute {
				b.Fatalf("%d of %d organisms accepted after 5 minutes", accepted, 2*transmissionBenchSeries)
			}
		}
		elapsed := time.Since(start)
		b.StopTimer()
		if n := len(fake.Declarations()) - declaredBefore; n != transmissionBenchSeries {
			b.Fatalf("SACD received %d declarations, want %d", n, transmissionBenchSeries)
		}
		perWorker := float64(worker.all.Load()) / transmissionBenchSeries
		perDelivery := float64(delivery.all.Load()) / transmissionBenchSeries
		b.ReportMetric(elapsed.Seconds(), "s/200")
		b.ReportMetric(perWorker, "sql/transmission")
		b.ReportMetric(perDelivery, "mailsql/transmission")
		b.Logf("%d transmissions (SACD + its documents e-mail + SACEM PDF e-mail, and the receipt) accepted in %v (%.1f ms each); SQL per transmission: %.1f by the worker, %.1f by the outbox delivery of its 3 e-mails",
			transmissionBenchSeries, elapsed, elapsed.Seconds()*1000/transmissionBenchSeries, perWorker, perDelivery)
	}
}

// benchSerie inserts an organization and a serie ready to declare to SACEM
// and SACD, with 3 performances and an artistic contract.
func benchSerie(b *testing.B, d *db.DB, n int) (s struct{ org, id uuid.UUID }) {
	b.Helper()
	ctx := context.Background()
	siret := fmt.Sprintf("%09d00012", 100000000+n)
	if err := d.NewRaw(`WITH a AS (INSERT INTO addresses (street, city, postal_code) VALUES ('1 rue', 'Rennes', '35000') RETURNING id)
INSERT INTO organizations (name, official_id, official_headquarters_id, headquarters_address_id, sacem_id, sacd_id)
SELECT 'Compagnie ' || ?, ?, ?, id, ?, ? FROM a RETURNING id`, n, siret[:9], siret, fmt.Sprint(1000000+n), fmt.Sprint(2000000+n)).Scan(ctx, &s.org); err != nil {
		b.Fatal(err)
	}
	if err := d.NewRaw(`WITH ts AS (INSERT INTO ticketing_systems (organization_id, name, credentials) VALUES (?, 'MANUAL', '\x00') RETURNING id),
a AS (INSERT INTO addresses (street, city, postal_code, country_code) VALUES ('3 rue du Théâtre', 'Rennes', '35000', 'FR') RETURNING id),
p AS (INSERT INTO places (organization_id, name, address_id) SELECT ?, 'Salle de la Cité', a.id FROM a RETURNING id)
INSERT INTO event_series (ticketing_system_id, internal_ticketing_system_id, name, expected_declaration_types, performance_type,
  producer_official_id, producer_name, place_capacity, place_id, expenses_including_taxes, expenses_excluding_taxes)
SELECT ts.id, 'bench', 'Le cracheur de feu ' || ?, '{SACEM,SACD}', 'DANCE', '130025265', 'Production Étoile', 200, p.id, 1200, 1000 FROM ts, p RETURNING event_series.id`,
		s.org, s.org, n).Scan(ctx, &s.id); err != nil {
		b.Fatal(err)
	}
	if _, err := d.NewRaw(`INSERT INTO events (event_serie_id, internal_ticketing_system_id, start_at, ticketing_revenue_including_taxes, ticketing_revenue_excluding_taxes, free_tickets, paid_tickets)
SELECT ?, k::text, now() - k * interval '1 day', 105.5, 100, 9, 10 FROM generate_series(1, 3) AS k`, s.id).Exec(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := d.NewRaw(`WITH a AS (INSERT INTO attachments (event_serie_id, name, content_type, size, type) VALUES (?, 'contrat.pdf', 'application/pdf', 2048, 'ARTISTIC_CONTRACT') RETURNING id)
INSERT INTO attachment_contents (attachment_id, content) SELECT id, decode(repeat('25', 2048), 'hex') FROM a`, s.id).Exec(ctx); err != nil {
		b.Fatal(err)
	}
	return s
}
