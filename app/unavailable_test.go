package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"assistant-declaration/app/users"
	"assistant-declaration/app/web"
)

// While the database is unreachable, pages answer 503 "service momentanément
// indisponible" with Retry-After, not a 500 "Erreur inattendue".
func TestDatabaseOutageAnswers503(t *testing.T) {
	t.Parallel()
	base, proxy, d := behindProxy(t, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	email := "outage-" + uuid.NewString() + "@example.org"
	id, err := users.CreateConfirmed(ctx, d, email, "Camille", "Martin", "", false)
	if err != nil {
		t.Fatal(err)
	}
	sessionToken := uuid.NewString()
	if err := web.CreateSession(ctx, d, sessionToken, &id, "csrf", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	get := func() (*http.Response, string) {
		req, err := http.NewRequest(http.MethodGet, base+"/dashboard", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: "session", Value: sessionToken})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, _ := get(); resp.StatusCode != http.StatusOK {
		t.Fatalf("dashboard before the outage: %d", resp.StatusCode)
	}

	proxy.stop()
	// Both the connections cut under the pool and the refused new ones.
	for i := 0; i < 3; i++ {
		resp, body := get()
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("request %d during the outage: status %d, want 503", i, resp.StatusCode)
		}
		if resp.Header.Get("Retry-After") == "" {
			t.Errorf("request %d: no Retry-After", i)
		}
		if !strings.Contains(body, "momentanément indisponible") || strings.Contains(body, "Erreur inattendue") {
			t.Errorf("request %d: body does not say the service is unavailable:\n%s", i, body)
		}
	}
}
