package app_test

import (
	"net/http"
	"testing"
	"time"

	"assistant-declaration/app/apptest"
)

// Pages answered to a signed-in user must not be kept by the browser or a
// proxy; visitors' public pages keep their default caching.
func TestSignedInPagesAreNotStored(t *testing.T) {
	t.Parallel()
	h := apptest.New(t)
	user := h.Client()
	user.StartSession(h.CreateUser(apptest.UniqueEmail("nostore"), false), time.Hour)
	for _, path := range []string{"/dashboard", "/account/settings", "/frequently-asked-questions", "/", "/page-that-does-not-exist"} {
		r := user.Get(path)
		if got := r.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("signed-in %s (%d): Cache-Control %q, want no-store", path, r.StatusCode, got)
		}
	}
	visitor := h.Client()
	for _, path := range []string{"/", "/frequently-asked-questions"} {
		r := visitor.Get(path)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("visitor %s: status %d", path, r.StatusCode)
		}
		if got := r.Header.Get("Cache-Control"); got != "" {
			t.Errorf("visitor %s: Cache-Control %q, want none", path, got)
		}
	}
}
