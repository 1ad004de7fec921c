package config

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

func lookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}

func TestParseDefaults(t *testing.T) {
	c, err := Parse(lookup(map[string]string{"DATABASE_URL": "postgres://localhost/x"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Mode != ModeDev || c.Port != 8080 || c.BaseURL != "http://localhost:8080" || !c.DemoData {
		t.Errorf("unexpected defaults: %+v", c)
	}
	if c.SessionIdleTimeout != 7*24*time.Hour || c.AdminSessionMaxAge != 12*time.Hour {
		t.Errorf("session lifetimes: %v %v", c.SessionIdleTimeout, c.AdminSessionMaxAge)
	}
	if len(c.SecretsEncryptionKey) != 32 {
		t.Errorf("dev encryption key has %d bytes", len(c.SecretsEncryptionKey))
	}
	if c.SupersoniksAPIURLTemplate != "https://{domain}/api/v2" || c.BilletwebAPIBaseURL != "https://www.billetweb.fr/api" {
		t.Errorf("ticketing defaults: %q %q", c.SupersoniksAPIURLTemplate, c.BilletwebAPIBaseURL)
	}
	if c.FallbackSMTP != nil || c.ProConnectEnabled() {
		t.Error("optional features should be off by default")
	}
}

func TestParseErrorsNameTheVariable(t *testing.T) {
	valid := map[string]string{"DATABASE_URL": "postgres://localhost/x"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"missing database", map[string]string{}, "DATABASE_URL is required"},
		{"bad mode", map[string]string{"APP_MODE": "staging"}, "APP_MODE must be dev, test or prod"},
		{"bad port", map[string]string{"PORT": "eighty"}, "PORT must be a positive whole number"},
		{"bad duration", map[string]string{"SESSION_IDLE_TIMEOUT": "7 days"}, "SESSION_IDLE_TIMEOUT must be a positive duration"},
		{"bad url", map[string]string{"COMPANY_API_BASE_URL": "ftp://x"}, "COMPANY_API_BASE_URL must be an absolute http(s) URL"},
		{"bad key", map[string]string{"SECRETS_ENCRYPTION_KEY": "c2hvcnQ="}, "SECRETS_ENCRYPTION_KEY must be 32 random bytes"},
		{"prod without key", map[string]string{"APP_MODE": "prod", "MAILER_SMTP_HOST": "smtp"}, "SECRETS_ENCRYPTION_KEY is required in production"},
		{"prod without smtp", map[string]string{"APP_MODE": "prod", "SECRETS_ENCRYPTION_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}, "MAILER_SMTP_HOST is required in production"},
		{"demo in prod", map[string]string{"APP_MODE": "prod", "DEMO_DATA": "true", "MAILER_SMTP_HOST": "smtp", "SECRETS_ENCRYPTION_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}, "DEMO_DATA cannot be enabled in production"},
		{"bad tls", map[string]string{"MAILER_SMTP_TLS": "maybe"}, "MAILER_SMTP_TLS must be one of opportunistic, none, starttls, tls"},
		{"bad user ids", map[string]string{"DISABLE_TICKETING_SYSTEM_MOCK_FOR_USER_IDS": "42"}, "DISABLE_TICKETING_SYSTEM_MOCK_FOR_USER_IDS must be a comma-separated list"},
		{"proconnect half set", map[string]string{"PROCONNECT_DISCOVERY_URL": "https://idp.example/.well-known/openid-configuration"}, "PROCONNECT_CLIENT_ID and PROCONNECT_CLIENT_SECRET are required"},
		{"sacd half set", map[string]string{"SACD_API_BASE_URL": "https://sacd.example", "SACD_API_CONSUMER_KEY": "k"}, "SACD_API_BASE_URL requires SACD_API_CONSUMER_KEY"},
		{"sacd bad url", map[string]string{"SACD_API_BASE_URL": "sacd.example"}, "SACD_API_BASE_URL must be an absolute http(s) URL"},
		{"template without domain", map[string]string{"SUPERSONIKS_API_URL_TEMPLATE": "https://x/api"}, "SUPERSONIKS_API_URL_TEMPLATE must contain"},
		{"clamav without port", map[string]string{"CLAMAV_ADDRESS": "clamd"}, "CLAMAV_ADDRESS must be host:port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := map[string]string{}
			if tc.name != "missing database" {
				for k, v := range valid {
					env[k] = v
				}
			}
			for k, v := range tc.env {
				env[k] = v
			}
			_, err := Parse(lookup(env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want it to contain %q", err, tc.want)
			}
			if strings.Count(err.Error(), "\n") != 0 {
				t.Errorf("error should be one line: %q", err)
			}
		})
	}
}

func TestSacdAPI(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "postgres://localhost/x", "SACD_API_BASE_URL": "https://sacd.example/api/", "SACD_API_CONSUMER_KEY": "ck",
		"SACD_API_SECRET_KEY": "sk", "SACD_API_PROVIDER_NAME": "AD", "SACD_API_PROVIDER_REFFILE": "ref", "SACD_API_PROVIDER_PASSWORD": "pw"}
	c, err := Parse(lookup(env))
	if err != nil {
		t.Fatal(err)
	}
	want := SacdAPI{BaseURL: "https://sacd.example/api", ConsumerKey: "ck", SecretKey: "sk", ProviderName: "AD", ProviderRefFile: "ref", ProviderPassword: "pw"}
	if c.SacdAPI != want || !c.SacdAPI.Configured() {
		t.Errorf("SacdAPI = %+v", c.SacdAPI)
	}
	c, err = Parse(lookup(map[string]string{"DATABASE_URL": "postgres://localhost/x"}))
	if err != nil || c.SacdAPI.Configured() {
		t.Errorf("SACD must be off by default: %+v, %v", c.SacdAPI, err)
	}
}

func TestMocksRemoteServicesFor(t *testing.T) {
	listed, other := uuid.New(), uuid.New()
	for _, tc := range []struct {
		mode Mode
		user uuid.UUID
		want bool
	}{
		{ModeDev, other, true},
		{ModeDev, listed, false},
		{ModeDev, uuid.Nil, true},
		{ModeTest, listed, false},
		{ModeProd, other, false},
		{ModeProd, uuid.Nil, false},
	} {
		c := &Config{Mode: tc.mode, DisableTicketingMockForUserIDs: []uuid.UUID{listed}}
		if got := c.MocksRemoteServicesFor(tc.user); got != tc.want {
			t.Errorf("%s, user listed=%v nil=%v: %v, want %v", tc.mode, tc.user == listed, tc.user == uuid.Nil, got, tc.want)
		}
	}
}

func TestSecretFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	if err := os.WriteFile(path, []byte("postgres://from-file/x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Parse(lookup(map[string]string{"DATABASE_URL_FILE": path}))
	if err != nil || c.DatabaseURL != "postgres://from-file/x" {
		t.Fatalf("DatabaseURL = %q, err = %v", c.DatabaseURL, err)
	}
}

func TestDotEnv(t *testing.T) {
	good := "# comment\n\nAPP_MODE=test\nexport PORT=9000\nNAME=\"quoted # kept\"\nSINGLE='x'\nTRAILING=value # comment\nEMPTY=\n"
	values, err := parseDotEnv(".env", bufio.NewScanner(strings.NewReader(good)))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"APP_MODE": "test", "PORT": "9000", "NAME": "quoted # kept", "SINGLE": "x", "TRAILING": "value", "EMPTY": ""}
	for k, v := range want {
		if values[k] != v {
			t.Errorf("%s = %q, want %q", k, values[k], v)
		}
	}

	for _, tc := range []struct{ body, want string }{
		{"A=1\nthis is not a setting\n", ".env line 2: expected KEY=VALUE"},
		{"A=1\nB=2\n3C=x\n", ".env line 3: expected KEY=VALUE"},
		{"A=\"unterminated\n", ".env line 1: unterminated quoted value"},
	} {
		_, err := parseDotEnv(".env", bufio.NewScanner(strings.NewReader(tc.body)))
		if !errors.Is(err, ErrDotEnv) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error = %v, want %q", err, tc.want)
		}
	}
}

func TestLoadKeepsEnvironmentOverFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".env")
	if err := os.WriteFile(path, []byte("DATABASE_URL=postgres://file/x\nPORT=9100\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("DATABASE_URL", "postgres://env/x")
	t.Setenv("PORT", "")
	os.Unsetenv("PORT")
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != "postgres://env/x" || c.Port != 9100 {
		t.Errorf("DatabaseURL=%q Port=%d", c.DatabaseURL, c.Port)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing")); err != nil {
		t.Errorf("a missing .env must be fine: %v", err)
	}
}
