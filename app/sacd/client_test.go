package sacd_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/sacd"
	"assistant-declaration/app/sacd/sacdtest"
	"assistant-declaration/config"
)

func declaration(performances int) sacd.Declaration {
	d := sacd.Declaration{
		DeclarantID:  "123456789",
		Organization: sacd.Organization{Name: "Compagnie du Test", SIREN: "123456789"},
		Serie: sacd.Serie{
			ID: uuid.New(), Name: "Le cracheur de feu",
			Producer:               sacd.Producer{Name: "Les studios Culture", SIREN: "987654321"},
			Place:                  sacd.Place{Name: "Salle Hector", Address: sacd.Address{Street: "1 rue de la Gare", PostalCode: "35000", City: "Rennes", CountryCode: "FR"}},
			ExpensesExcludingTaxes: decimal.RequireFromString("2500"), IntroductionFeesExpensesExcludingTaxes: decimal.RequireFromString("400"),
		},
	}
	for i := range performances {
		d.Performances = append(d.Performances, sacd.Performance{
			ID: uuid.New(), StartAt: time.Date(2024, 12, 1+i, 19, 0, 0, 0, time.UTC),
			TicketingRevenueExcludingTaxes: decimal.RequireFromString("100"), TicketingRevenueIncludingTaxes: decimal.RequireFromString("105.50"),
			PaidTickets: 10, FreeTickets: 2, PlaceName: "Salle Hector", PlaceCapacity: 120,
		})
	}
	return d
}

func client(fake *sacdtest.Server) *sacd.HTTPClient {
	cfg := fake.Config()
	cfg.Timeout = 500 * time.Millisecond
	return sacd.NewHTTPClient(cfg)
}

// sacdError asserts err is an *sacd.Error of code and returns it.
func sacdError(t *testing.T, err error, code sacd.ErrorCode) *sacd.Error {
	t.Helper()
	var e *sacd.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("err = %v, want an sacd.Error %s", err, code)
	}
	for _, secret := range []string{sacdtest.SecretKey, sacdtest.ProviderPassword, sacdtest.ConsumerKey, sacd.Md5Hex(sacdtest.ProviderPassword), "auth-token-"} {
		if strings.Contains(err.Error(), secret) || strings.Contains(e.Excerpt, secret) {
			t.Errorf("error shows the secret %q: %v", secret, err)
		}
	}
	if len([]rune(e.Excerpt)) > 300 {
		t.Errorf("excerpt of %d characters", len([]rune(e.Excerpt)))
	}
	return e
}

func TestDeclareSucceeds(t *testing.T) {
	fake := sacdtest.New(t)
	c := client(fake)
	for _, n := range []int{1, 3} { // one Representation or a list of them
		d := declaration(n)
		receipt, err := c.Declare(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		sent := fake.Declarations()
		if receipt.DecRef != "123456789" || receipt.DecNb != n || receipt.SacdDate == "" || len(receipt.Warnings) != 0 {
			t.Errorf("receipt = %+v", receipt)
		}
		want, _ := d.XML(time.Now())
		if receipt.XML != want || sent[len(sent)-1] != want {
			t.Errorf("the XML sent is not the declaration's:\n%s", sent[len(sent)-1])
		}
		if !strings.Contains(receipt.Answer, "<statut>OK</statut>") {
			t.Errorf("raw answer not kept: %q", receipt.Answer)
		}
	}
	if fake.Logins() != 2 || len(fake.Declarations()) != 2 {
		t.Errorf("logins = %d, declarations = %d: one login per transmission", fake.Logins(), len(fake.Declarations()))
	}
}

func TestDeclareWarningsAreAccepted(t *testing.T) {
	fake := sacdtest.New(t)
	fake.Fail(sacdtest.Warning)
	receipt, err := client(fake).Declare(context.Background(), declaration(2))
	if err != nil || len(receipt.Warnings) != 1 || receipt.Warnings[0].Field != "salle_jauge" {
		t.Fatalf("receipt = %+v, err = %v", receipt, err)
	}
}

func TestDeclareFailures(t *testing.T) {
	for _, tc := range []struct {
		name         string
		failure      sacdtest.Failure
		code         sacd.ErrorCode
		step         string
		status       int
		retryable    bool
		kind         error
		key          string
		declarations int
	}{
		{"KO", sacdtest.KO, sacd.CodeUnsuccessful, sacd.StepDeclare, 200, false, derrors.ErrConflict, "sacd.sacdDeclarationUnsuccessful", 1},
		{"ERR_WS_DEC_REF", sacdtest.IncorrectDeclarant, sacd.CodeIncorrectDeclarant, sacd.StepDeclare, 200, false, derrors.ErrInvalid, "sacd.sacdDeclarationIncorrectDeclarant", 1},
		{"other JSON error", sacdtest.OtherError, sacd.CodeRefused, sacd.StepDeclare, 200, false, derrors.ErrConflict, "sacd.sacdDeclarationRefused", 1},
		{"500", sacdtest.ServerError, sacd.CodeHTTPError, sacd.StepDeclare, 500, true, derrors.ErrUnavailable, "sacd.sacdUnavailable", 1},
		{"login 500", sacdtest.LoginServerError, sacd.CodeHTTPError, sacd.StepLogin, 500, true, derrors.ErrUnavailable, "sacd.sacdUnavailable", 0},
		{"hang", sacdtest.Hang, sacd.CodeTimeout, sacd.StepDeclare, 0, true, derrors.ErrUnavailable, "sacd.sacdUnavailable", 1},
		{"malformed", sacdtest.Malformed, sacd.CodeMalformedResponse, sacd.StepDeclare, 200, true, derrors.ErrUnavailable, "sacd.sacdUnavailable", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := sacdtest.New(t)
			fake.Fail(tc.failure)
			start := time.Now()
			receipt, err := client(fake).Declare(context.Background(), declaration(3))
			if time.Since(start) > 5*time.Second {
				t.Errorf("took %s: the timeout was not applied", time.Since(start))
			}
			e := sacdError(t, err, tc.code)
			if e.Step != tc.step || e.Status != tc.status || e.Retryable != tc.retryable {
				t.Errorf("step %q status %d retryable %v, want %q %d %v", e.Step, e.Status, e.Retryable, tc.step, tc.status, tc.retryable)
			}
			var msg *derrors.Message
			if !errors.Is(err, tc.kind) || !errors.As(err, &msg) || msg.Key != tc.key {
				t.Errorf("business message = %+v, want %s of kind %v", msg, tc.key, tc.kind)
			}
			if got := len(fake.Declarations()); got != tc.declarations {
				t.Errorf("declarations received = %d, want %d", got, tc.declarations)
			}
			// When SACD answered the declaration, the caller keeps the XML and the answer.
			if answered := tc.status != 0 && tc.step == sacd.StepDeclare; answered != (receipt != nil) || answered && (receipt.XML == "" || receipt.Answer == "") {
				t.Errorf("receipt = %+v", receipt)
			}
			switch tc.failure {
			case sacdtest.KO:
				if len(e.Rejections) != 1 || e.Rejections[0].Field != "rep_mt_billets" || e.Rejections[0].Message != "Le montant des billets est incohérent" ||
					!strings.Contains(e.Rejections[0].Reference, "_") || e.Rejections[0].Number != "1" {
					t.Errorf("rejections = %+v", e.Rejections)
				}
			case sacdtest.IncorrectDeclarant, sacdtest.OtherError:
				if e.RemoteCode == "" || e.RemoteMessage == "" || !strings.Contains(err.Error(), e.RemoteCode) {
					t.Errorf("remote error not recorded: %+v", e)
				}
			case sacdtest.ServerError:
				if !strings.Contains(e.Excerpt, "500 Internal Server Error") || !strings.Contains(e.Excerpt, "[redacted]") {
					t.Errorf("excerpt = %q", e.Excerpt)
				}
				if !strings.Contains(receipt.Answer, "token [redacted]") {
					t.Errorf("the kept answer shows the signature: %q", receipt.Answer)
				}
			case sacdtest.Malformed:
				if !strings.Contains(e.Excerpt, "Maintenance en cours") {
					t.Errorf("excerpt = %q", e.Excerpt)
				}
			}
		})
	}
}

func TestDeclareCanceledAndUnreachable(t *testing.T) {
	fake := sacdtest.New(t)
	fake.Fail(sacdtest.Hang)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := client(fake).Declare(ctx, declaration(1))
	if e := sacdError(t, err, sacd.CodeCanceled); !e.Retryable {
		t.Error("a canceled transmission may be tried again")
	}

	cfg := fake.Config()
	cfg.BaseURL = "http://127.0.0.1:1"
	_, err = sacd.NewHTTPClient(cfg).Declare(context.Background(), declaration(1))
	if e := sacdError(t, err, sacd.CodeNetwork); e.Step != sacd.StepLogin || !e.Retryable {
		t.Errorf("unreachable: %+v", e)
	}
}

func TestDeclareRefusesWrongCredentials(t *testing.T) {
	fake := sacdtest.New(t)
	for _, change := range []func(*sacd.Config){
		func(c *sacd.Config) { c.ProviderPassword = "wrong" },
		func(c *sacd.Config) { c.SecretKey = "wrong" }, // the fake refuses the signature of the declaration
		func(c *sacd.Config) { c.ProviderName = "OTHER" },
	} {
		cfg := fake.Config()
		change(&cfg)
		_, err := sacd.NewHTTPClient(cfg).Declare(context.Background(), declaration(1))
		if e := sacdError(t, err, sacd.CodeHTTPError); e.Status != 400 || !strings.Contains(e.Excerpt, "sacdtest:") {
			t.Errorf("err = %v", err)
		}
	}
	if got := len(fake.Declarations()); got != 0 {
		t.Errorf("%d declarations accepted with wrong credentials", got)
	}
}

func TestDeclareNeedsConfigurationAndPerformances(t *testing.T) {
	if _, err := sacd.NewHTTPClient(sacd.Config{}).Declare(context.Background(), declaration(1)); !errors.Is(err, sacd.ErrNotConfigured) || !errors.Is(err, derrors.ErrUnavailable) {
		t.Errorf("unconfigured: %v", err)
	}
	fake := sacdtest.New(t)
	if _, err := client(fake).Declare(context.Background(), declaration(0)); !errors.Is(err, sacd.ErrNoPerformance) {
		t.Errorf("no performance: %v", err)
	}
	if fake.Logins() != 0 {
		t.Error("nothing is sent for a declaration that cannot be built")
	}
}

func TestMessagesAreTranslated(t *testing.T) {
	for _, code := range []sacd.ErrorCode{sacd.CodeUnsuccessful, sacd.CodeIncorrectDeclarant, sacd.CodeRefused, sacd.CodeTimeout} {
		var msg *derrors.Message
		if !errors.As(&sacd.Error{Code: code, RemoteCode: "ERR_X"}, &msg) {
			t.Fatalf("%s has no business message", code)
		}
		for _, lang := range locale.Supported {
			if got := locale.For(lang).T(msg.Key, msg.Args...); got == msg.Key || strings.Contains(got, "no value") {
				t.Errorf("%s: %s = %q", lang, msg.Key, got)
			}
		}
	}
	if got := locale.For("fr").T("sacd.sacdDeclarationRefused", "code", "ERR_X"); !strings.Contains(got, "ERR_X") {
		t.Errorf("refused message = %q", got)
	}
}

func TestFactoryMocksOutsideProduction(t *testing.T) {
	fake := sacdtest.New(t)
	listed, other := uuid.New(), uuid.New()
	api := fake.API()
	base := sacd.Config{MockDelay: 50 * time.Millisecond}

	dev := sacd.NewFactory(&config.Config{Mode: config.ModeDev, SacdAPI: api, DisableTicketingMockForUserIDs: []uuid.UUID{listed}}, base)
	start := time.Now()
	receipt, err := dev(other).Declare(context.Background(), declaration(2))
	if err != nil || receipt.Answer != sacd.MockAnswer || receipt.DecNb != 2 || receipt.DecRef != "123456789" || receipt.XML == "" {
		t.Fatalf("mock receipt = %+v, %v", receipt, err)
	}
	if time.Since(start) < 50*time.Millisecond {
		t.Error("the mock answers after its delay")
	}
	if len(fake.Declarations()) != 0 {
		t.Fatal("the mock sent the declaration")
	}
	if _, err := dev(listed).Declare(context.Background(), declaration(1)); err != nil || len(fake.Declarations()) != 1 {
		t.Fatalf("a listed user gets the real service: %v", err)
	}
	prod := sacd.NewFactory(&config.Config{Mode: config.ModeProd, SacdAPI: api}, base)
	if _, err := prod(other).Declare(context.Background(), declaration(1)); err != nil || len(fake.Declarations()) != 2 {
		t.Fatalf("production uses the real service: %v", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := sacd.NewMock(sacd.Config{}).Declare(ctx, declaration(1)); err == nil {
		t.Error("the mock stops with its context")
	}
}
