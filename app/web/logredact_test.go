package web_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/web"
)

// lockedBuffer collects log lines written from the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Secret tokens of URLs (invitations in the path, password resets and
// sign-in confirmations in the query) never reach the logs, neither in the
// access log nor in the 500 handler's line, even when an error repeats them.
func TestLogsHoldNoToken(t *testing.T) {
	t.Parallel()
	var out lockedBuffer
	logger := slog.New(slog.NewTextHandler(&out, nil))
	f := fiber.New(fiber.Config{ErrorHandler: web.ErrorHandler(logger)})
	web.NewMiddleware(nil, logger, web.SessionConfig{}, time.Second).InstallBase(f)
	f.Get("/invitations/:token", func(c *fiber.Ctx) error {
		return errors.New("invitations: find " + c.Params("token") + ": boom")
	})
	f.Get("/auth/password/reset", func(c *fiber.Ctx) error { return c.SendString("ok") })

	const pathToken, queryToken = "JBYnx6secretInvitationToken", "resetSecretToken42"
	for _, target := range []string{"/invitations/" + pathToken, "/auth/password/reset?token=" + queryToken} {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("HX-Request", "true") // the error fragment: this app has no page templates
		resp, err := f.Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	logs := out.String()
	if strings.Contains(logs, pathToken) || strings.Contains(logs, queryToken) {
		t.Errorf("a token reached the logs:\n%s", logs)
	}
	for _, want := range []string{"path=/invitations/[redacted]", "request failed", "path=/auth/password/reset "} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %q:\n%s", want, logs)
		}
	}
}
