package ticketing

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"assistant-declaration/app/locale"
)

func TestValidateCredentials(t *testing.T) {
	tests := []struct {
		system System
		creds  Credentials
		code   ErrorCode
		field  string
	}{
		{Billetweb, Credentials{AccessKey: "U1", SecretKey: "K1"}, "", ""},
		{Billetweb, Credentials{AccessKey: " ", SecretKey: "K1"}, CodeInvalidCredentials, FieldAccessKey},
		{HelloAsso, Credentials{AccessKey: "cid"}, CodeInvalidCredentials, FieldSecretKey},
		{Mapado, Credentials{SecretKey: "mp-1"}, "", ""},
		{Shotgun, Credentials{AccessKey: "12a", SecretKey: "sk"}, CodeInvalidCredentials, FieldAccessKey},
		{Supersoniks, Credentials{AccessKey: "billetterie.masalle.com", SecretKey: "ey"}, "", ""},
		{SoTicket, Credentials{AccessKey: "https://billetterie.masalle.com", SecretKey: "ey"}, CodeInvalidDomainName, FieldAccessKey},
		{SoTicket, Credentials{AccessKey: "localhost", SecretKey: "ey"}, CodeInvalidDomainName, FieldAccessKey},
	}
	for _, tt := range tests {
		err := tt.system.ValidateCredentials(tt.creds)
		if CodeOf(err) != tt.code {
			t.Errorf("%s %+v: %v, want code %q", tt.system, tt.creds, err, tt.code)
			continue
		}
		if tt.code != "" && err.(*RemoteError).Field != tt.field {
			t.Errorf("%s: field %q, want %q", tt.system, err.(*RemoteError).Field, tt.field)
		}
	}
	if err := System("MANUAL").ValidateCredentials(Credentials{}); err == nil {
		t.Error("MANUAL has no connector and must be refused")
	}
	for _, s := range Systems() {
		if len(s.CredentialFields()) == 0 {
			t.Errorf("%s has no credential fields", s)
		}
	}
	if n := len(Mapado.CredentialFields()); n != 1 {
		t.Errorf("Mapado has %d fields, want the token only", n)
	}
}

func TestIndicativeRate(t *testing.T) {
	d := decimal.RequireFromString
	tests := []struct {
		name    string
		entries []rateEntry
		want    string // "" = no rate
	}{
		{"empty", nil, ""},
		{"single", []rateEntry{{rate: d("0.055")}}, "0.055"},
		{"free 0 % aligned", []rateEntry{{rate: d("0"), free: true}, {rate: d("0.055")}}, "0.055"},
		{"paid 0 % mixed", []rateEntry{{rate: d("0")}, {rate: d("0.055")}}, ""},
		{"two rates", []rateEntry{{rate: d("0.2")}, {rate: d("0.055")}}, ""},
		{"only free 0 %", []rateEntry{{rate: d("0"), free: true}}, "0"},
	}
	for _, tt := range tests {
		got := indicativeRate(tt.entries)
		if (tt.want == "") == got.Valid || (got.Valid && !got.Decimal.Equal(d(tt.want))) {
			t.Errorf("%s: got %v, want %q", tt.name, got, tt.want)
		}
	}
}

func TestTallyRoundsHalfUpOnce(t *testing.T) {
	var tl tally
	rate := decimal.RequireFromString("0.055")
	for _, p := range []string{"20", "21", "0"} {
		tl.add(decimal.RequireFromString(p), rate)
	}
	e := tl.event("x", time.Unix(0, 0), nil, decimal.NullDecimal{})
	// 20/1.055 + 21/1.055 = 38.8625…: summing rounded per-ticket values would give 38.86 too, but
	// 0.005 must round up.
	if e.RevenueExcludingTaxes.String() != "38.86" || e.PaidTickets != 2 || e.FreeTickets != 1 {
		t.Errorf("event = %s", fmtEvent(e))
	}
	if got := roundCents(decimal.RequireFromString("2.345")); got.String() != "2.35" {
		t.Errorf("roundCents(2.345) = %s", got)
	}
}

func TestParseParisWallClock(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2025-03-01 20:30:00", "2025-03-01T19:30:00Z"}, // winter, UTC+1
		{"2025-07-01 20:30:00", "2025-07-01T18:30:00Z"}, // summer, UTC+2
		{"0000-00-00 00:00:00", ""},
	}
	for _, tt := range tests {
		got, err := parseParisWallClock(tt.in)
		if err != nil || (got == nil) != (tt.want == "") || (got != nil && got.Format(time.RFC3339) != tt.want) {
			t.Errorf("parseParisWallClock(%q) = %v, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := parseParisWallClock("01/03/2025"); err == nil {
		t.Error("a French date format must be refused")
	}
}

func TestBoolish(t *testing.T) {
	tests := map[string]int{`true`: 1, `"1"`: 1, `1`: 1, `"TRUE"`: 1, `false`: 0, `"0"`: 0, `0`: 0, `null`: -1, `"yes"`: -1, `2`: -1}
	for in, want := range tests {
		var b boolish
		err := b.UnmarshalJSON([]byte(in))
		got := map[bool]int{true: 1, false: 0}[b.v]
		if (err != nil) != (want < 0) || (err == nil && got != want) {
			t.Errorf("boolish(%s) = %v, %v", in, b.v, err)
		}
	}
}

func TestExcerpt(t *testing.T) {
	body := []byte(`{"access_token":"abc","message":"bad key K1-secret"}` + strings.Repeat("é", 400))
	got := excerpt(body, []string{"K1-secret"})
	if strings.Contains(got, "abc") || strings.Contains(got, "K1-secret") {
		t.Errorf("excerpt leaks a secret: %s", got)
	}
	if n := len([]rune(got)); n != maxExcerpt {
		t.Errorf("excerpt has %d characters, want %d", n, maxExcerpt)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := map[string]time.Duration{"": -1, "3": 3 * time.Second, "x": -1, now.Add(5 * time.Second).Format(http.TimeFormat): 5 * time.Second}
	for in, want := range tests {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestMock(t *testing.T) {
	cfg := Config{Mock: true, MockDelay: -1, Now: func() time.Time { return time.Date(2025, 2, 3, 9, 0, 0, 0, time.UTC) }}
	conn, err := New(Billetweb, Credentials{}, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.TestConnection(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := conn.FetchSeries(context.Background(), time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// Day 34 of 2025; d0 = 2025-01-24 00:00 Paris = 2025-01-23T23:00Z.
	assertSeries(t, got, []Serie{
		{RemoteID: "s1-2025-34", Name: "Mon premier coucou (test 2025-34)", Events: []Event{
			ev("e1-1-2025-34", "2025-01-24T10:00:00Z", ptrUTC("2025-01-24T11:00:00Z"), "105.5", "100", "0.055", 23, 10),
		}},
		{RemoteID: "s2-2025-34", Name: "Un coucou au soleil (test 2025-34)", Events: []Event{
			ev("e2-1-2025-34", "2025-01-24T10:00:00Z", ptrUTC("2025-01-24T14:00:00Z"), "263.75", "250", "", 35, 43),
			ev("e2-2-2025-34", "2025-01-24T10:00:00Z", ptrUTC("2025-01-24T19:00:00Z"), "1055", "1000", "", 86, 99),
		}},
	})
}

// An unknown system reads as its stored value, never as a known brand or as the manual system.
func TestSystemLabel(t *testing.T) {
	if got := Billetweb.Label(); got != "Billetweb" {
		t.Errorf("Billetweb.Label() = %q", got)
	}
	if s := System("NEWCOMER"); s.Label() != "NEWCOMER" || s.IsManual() {
		t.Errorf("unknown system: label %q, manual %v", s.Label(), s.IsManual())
	}
	if !Manual.IsManual() || Billetweb.IsManual() {
		t.Error("IsManual is wrong")
	}
}

func TestRefusePrivateAddress(t *testing.T) {
	for addr, refused := range map[string]bool{
		"127.0.0.1:443": true, "[::1]:443": true, "10.1.2.3:443": true, "172.16.0.1:443": true, "192.168.1.1:443": true,
		"169.254.169.254:80": true, "[fe80::1]:443": true, "[fd00::1]:443": true, "100.64.0.1:443": true, "0.0.0.0:443": true,
		"[::ffff:127.0.0.1]:443": true, "93.184.216.34:443": false, "[2606:2800:220:1:248:1893:25c8:1946]:443": false,
	} {
		err := refusePrivateAddress("tcp", addr, nil)
		if got := errors.Is(err, errPrivateAddress); got != refused {
			t.Errorf("%s: refused %v (%v), want %v", addr, got, err, refused)
		}
	}
}

func TestSupersoniksDomainsAreLowerCased(t *testing.T) {
	for _, system := range []System{Supersoniks, SoTicket} {
		c := system.Normalize(Credentials{AccessKey: " Billetterie.MaSalle.COM ", SecretKey: "Token"})
		if c.AccessKey != "billetterie.masalle.com" || c.SecretKey != "Token" {
			t.Errorf("%s: %+v", system, c)
		}
	}
	if got := slugify(Supersoniks.Normalize(Credentials{AccessKey: "Billetterie.MaSalle.com"}).AccessKey); got != "billetterie-masalle-com" {
		t.Errorf("slug %q", got)
	}
}

// A brand is shown as is in every language; MANUAL is translated.
func TestDisplayName(t *testing.T) {
	fr, en := locale.For("fr"), locale.For("en")
	for _, tc := range []struct {
		system System
		l      *locale.Localizer
		want   string
	}{{Billetweb, fr, "Billetweb"}, {Billetweb, en, "Billetweb"}, {Manual, fr, "Saisie manuelle"}, {Manual, en, "Typed by hand"}} {
		if got := tc.system.DisplayName(tc.l); got != tc.want {
			t.Errorf("%s.DisplayName = %q, want %q", tc.system, got, tc.want)
		}
	}
}
