package web

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"assistant-declaration/app/db/dbtest"
)

func TestPurgesDeleteExpiredSessionsAndStorageOnly(t *testing.T) {
	t.Parallel()
	d := dbtest.Open(t)
	ctx := context.Background()
	tag := fmt.Sprintf("purge-%d", rand.Int64())
	var userID string
	err := d.NewRaw(`INSERT INTO users (email, first_name, last_name) VALUES (?, 'Ada', 'Lovelace') RETURNING id`,
		tag+"@example.org").Scan(ctx, &userID)
	if err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := d.NewRaw(q, args...).Exec(ctx); err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO sessions (id, user_id, expires_at) VALUES
		(?, ?, now() - interval '1 minute'), (?, NULL, now() - interval '1 day'), (?, ?, now() + interval '1 hour')`,
		tag+"-s-old", userID, tag+"-s-anon", tag+"-s-live", userID)
	now := time.Now().Unix()
	exec(`INSERT INTO kv_storage (k, v, e) VALUES (?, '\x00', ?), (?, '\x00', ?), (?, '\x00', 0)`,
		tag+"-kv-old", now-60, tag+"-kv-live", now+3600, tag+"-kv-forever")

	if n, err := PurgeExpiredSessions(ctx, d); err != nil || n < 2 {
		t.Fatalf("PurgeExpiredSessions = %d, %v; want at least 2", n, err)
	}
	if n, err := PurgeExpiredStorage(ctx, d); err != nil || n < 1 {
		t.Fatalf("PurgeExpiredStorage = %d, %v; want at least 1", n, err)
	}
	var left []string
	err = d.NewRaw(`SELECT id FROM sessions WHERE id LIKE ?0
		UNION ALL SELECT k FROM kv_storage WHERE k LIKE ?0 ORDER BY 1`, tag+"%").Scan(ctx, &left)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{tag + "-kv-forever", tag + "-kv-live", tag + "-s-live"}
	if fmt.Sprint(left) != fmt.Sprint(want) {
		t.Fatalf("rows left = %v, want %v", left, want)
	}
}
