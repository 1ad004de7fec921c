package transmissions_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"assistant-declaration/app/apptest"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/mail/mailtest"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/sacd/sacdtest"
	"assistant-declaration/app/transmissions"
)

func TestSacdThenSacemWithTheirDocumentsAndTheReceipt(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACEM,SACD", postalCode: "35000", documents: []doc{
		{"ARTISTIC_CONTRACT", 1000}, {"REVENUE_STATEMENT", 2000}, {"OTHER", 500},
	}})
	tr := e.transmit(t)
	if len(tr.Organisms) != 2 || tr.Organisms[0] != declarations.SACD {
		t.Fatalf("organisms %v, want SACD first", tr.Organisms)
	}
	if err := e.svc.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The e-mails are queued, not sent: both organisms are being sent.
	if got := e.organism(t, "SACEM").State; got != transmissions.StateSending {
		t.Errorf("SACEM before SMTP: %s", got)
	}
	if status, _ := e.row(t, "SACEM"); status != "" {
		t.Errorf("SACEM row before SMTP accepted: %q", status)
	}
	e.work(t)
	for _, o := range []string{"SACEM", "SACD"} {
		if status, _ := e.row(t, o); status != "PROCESSED" {
			t.Errorf("%s row %q, want PROCESSED", o, status)
		}
	}
	if n := len(e.fake.Declarations()); n != 1 {
		t.Errorf("SACD received %d declarations", n)
	}

	sacem := e.mails("agence-rennes@sacem.test")
	if len(sacem) != 1 {
		t.Fatalf("%d SACEM e-mails", len(sacem))
	}
	m := sacem[0]
	if m.Subject != "Nouvelle déclaration SACEM" || strings.Trim(m.ReplyTo, "<>") != e.email {
		t.Errorf("SACEM e-mail: subject %q, reply-to %q", m.Subject, m.ReplyTo)
	}
	if !strings.Contains(m.Text, "4 documents") || !strings.Contains(m.HTML, "4 documents") || !strings.Contains(m.Text, "Compagnie & Cie") {
		t.Errorf("SACEM e-mail text: %s", m.Text)
	}
	if len(m.Attachments) != 4 || m.Attachments[0].Filename != "Déclaration SACEM - "+e.name+".pdf" ||
		m.Attachments[0].ContentType != "application/pdf" || !strings.HasPrefix(string(m.Attachments[0].Content), "%PDF") {
		t.Errorf("SACEM attachments %+v", m.Attachments)
	}
	sacdMails := e.mails("ouest@sacd.test")
	if len(sacdMails) != 1 || sacdMails[0].Subject != "Nouvelle déclaration SACD" || len(sacdMails[0].Attachments) != 2 {
		t.Fatalf("SACD e-mails %+v", sacdMails)
	}
	for _, a := range sacdMails[0].Attachments {
		if a.Filename != "piece-1.pdf" && a.Filename != "piece-3.pdf" {
			t.Errorf("SACD got %s, which is neither an artistic contract nor another document", a.Filename)
		}
	}
	receipt := e.mails(e.email)
	if len(receipt) != 1 || receipt[0].Subject != "Votre déclaration a été transmise" ||
		!strings.Contains(receipt[0].Text, "SACEM") || !strings.Contains(receipt[0].Text, "SACD") ||
		len(receipt[0].Attachments) != 1 || receipt[0].Attachments[0].ContentType != "application/pdf" {
		t.Fatalf("receipt %+v", receipt)
	}

	var decRef, xmlSent string
	if err := e.DB.NewRaw(`SELECT dec_ref, xml_sent FROM transmission_attempts WHERE event_serie_id = ? AND step = 'declare' AND outcome = 'succeeded'`, e.serie).
		Scan(context.Background(), &decRef, &xmlSent); err != nil {
		t.Fatal(err)
	}
	if decRef == "" || !strings.Contains(xmlSent, "<rep_titre>") {
		t.Errorf("SACD receipt not kept: dec_ref %q", decRef)
	}
	v := e.panel(t)
	if !v.Succeeded() || v.Active() || v.Failed() || v.CanTransmit() {
		t.Errorf("panel after success: %+v", v)
	}
	if n := e.count(t, `SELECT count(*) FROM declaration_changes WHERE event_serie_id = ? AND field = 'transmission'`, e.serie); n != 3 {
		t.Errorf("%d transmission lines in the history, want the request and 2 acceptances", n)
	}
	// Everything accepted: nothing left to send.
	if _, _, err := transmissions.Transmit(context.Background(), e.DB, e.org, e.serie, e.actor()); !errors.Is(err, declarations.ErrNothingToTransmit) {
		t.Errorf("transmit again: %v", err)
	}
}

func TestMissingRequiredFieldsQueueNothing(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACEM,SACD", postalCode: "35000"})
	e.exec(t, `UPDATE organizations SET sacem_id = NULL WHERE id = ?`, e.org)
	e.exec(t, `UPDATE event_series SET producer_name = NULL, place_capacity = NULL WHERE id = ?`, e.serie)
	_, _, err := transmissions.Transmit(context.Background(), e.DB, e.org, e.serie, e.actor())
	errs, ok := derrors.AsFields(err)
	if !ok {
		t.Fatalf("err %v, want fields", err)
	}
	for field, key := range map[string]string{declarations.FieldSacemID: declarations.KeySacemIDRequired,
		declarations.FieldProducerName: declarations.KeyProducerNameRequired, declarations.FieldPlaceCapacity: declarations.KeyCapacityRequired} {
		if errs[field] != key {
			t.Errorf("%s: %q, want %q", field, errs[field], key)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM transmissions WHERE event_serie_id = ?`, e.serie); n != 0 {
		t.Errorf("%d transmissions queued", n)
	}
}

func TestAgencyNotFoundIsRecordedThenTheCorrectedPlaceIsSent(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACEM", postalCode: "99999"})
	e.transmit(t)
	e.work(t)
	if status, code := e.row(t, "SACEM"); status != "PENDING" || code != "sacemAgencyNotFound" {
		t.Fatalf("SACEM row %q %q", status, code)
	}
	ov := e.organism(t, "SACEM")
	if !ov.Failed() || ov.ErrorKey() != "agencies.sacemAgencyNotFound" || ov.HintKey() != "transmissions.hint.postalCode" || !e.panel(t).Failed() {
		t.Errorf("panel %+v", ov)
	}
	if n := e.count(t, `SELECT count(*) FROM transmission_attempts WHERE event_serie_id = ? AND outcome = 'failed' AND error_code = 'sacemAgencyNotFound'`, e.serie); n != 1 {
		t.Errorf("%d failed attempts", n)
	}
	e.exec(t, `UPDATE addresses SET postal_code = '35000' WHERE id = (SELECT address_id FROM places p JOIN event_series s ON s.place_id = p.id WHERE s.id = ?)`, e.serie)
	e.transmit(t)
	e.work(t)
	if status, code := e.row(t, "SACEM"); status != "PROCESSED" || code != "" {
		t.Fatalf("SACEM row after retry %q %q", status, code)
	}
	if n := len(e.mails("agence-rennes@sacem.test")); n != 1 {
		t.Errorf("%d SACEM e-mails", n)
	}
}

func TestSMTPDownThenUpSendsOneEmail(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACEM", postalCode: "35000"})
	mailtest.Flush(t, e.DB, e.Catcher) // the outbox holds this e-mail alone
	e.transmit(t)
	ctx := context.Background()
	if err := e.svc.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	down, err := mail.NewSender(mail.Config{DefaultFrom: "noreply@assistant.test",
		Primary: mail.SMTP{Host: "127.0.0.1", Port: port, TLS: mail.TLSNone, Timeout: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := down.SendDue(ctx, e.DB, 100); err == nil {
		t.Fatal("sent through a closed port")
	}
	if err := e.svc.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if ov := e.organism(t, "SACEM"); ov.State != transmissions.StateRetrying {
		t.Fatalf("SACEM while SMTP is down: %s", ov.State)
	}
	if status, _ := e.row(t, "SACEM"); status != "" {
		t.Errorf("row while SMTP is down: %q", status)
	}
	// SMTP is back: the outbox's next attempt delivers it.
	e.exec(t, `UPDATE email_outbox SET next_attempt_at = now() WHERE sent_at IS NULL`)
	e.work(t)
	if status, _ := e.row(t, "SACEM"); status != "PROCESSED" {
		t.Fatalf("row after SMTP came back: %q", status)
	}
	if n := len(e.mails("agence-rennes@sacem.test")); n != 1 {
		t.Errorf("%d SACEM e-mails", n)
	}
}

func TestSacdFailuresAreRecordedShownAndRetryable(t *testing.T) {
	cases := []struct {
		failure    sacdtest.Failure
		code, key  string
		httpStatus int
	}{
		{sacdtest.KO, "sacdDeclarationUnsuccessful", "sacd.sacdDeclarationUnsuccessful", 200},
		{sacdtest.IncorrectDeclarant, "sacdDeclarationIncorrectDeclarant", "sacd.sacdDeclarationIncorrectDeclarant", 200},
		{sacdtest.OtherError, "sacdDeclarationRefused", "sacd.sacdDeclarationRefused", 200},
		{sacdtest.ServerError, "http_error", "sacd.sacdUnavailable", 500},
		{sacdtest.Hang, "timeout", "sacd.sacdUnavailable", 0},
		{sacdtest.Malformed, "malformed_response", "sacd.sacdUnavailable", 200},
	}
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			e := newEnv(t, setup{organisms: "SACD", postalCode: "35000"})
			e.fake.Fail(c.failure)
			e.transmit(t)
			e.work(t)
			if status, code := e.row(t, "SACD"); status != "PENDING" || code != c.code {
				t.Fatalf("SACD row %q %q", status, code)
			}
			var status int
			var excerpt string
			if err := e.DB.NewRaw(`SELECT http_status, excerpt FROM transmission_attempts WHERE event_serie_id = ? AND outcome = 'failed'`, e.serie).
				Scan(context.Background(), &status, &excerpt); err != nil {
				t.Fatal(err)
			}
			if status != c.httpStatus {
				t.Errorf("HTTP status %d, want %d", status, c.httpStatus)
			}
			if c.failure == sacdtest.ServerError && (!strings.Contains(excerpt, "500") || strings.Contains(excerpt, "auth-token")) {
				t.Errorf("excerpt %q", excerpt)
			}
			ov := e.organism(t, "SACD")
			if ov.ErrorKey() != c.key {
				t.Errorf("message %s, want %s", ov.ErrorKey(), c.key)
			}
			if c.failure == sacdtest.OtherError && ov.RemoteCode != "ERR_WS_UNKNOWN" {
				t.Errorf("SACD's code %q", ov.RemoteCode)
			}
			if c.failure == sacdtest.KO && (len(ov.Rejections) != 1 || ov.Rejections[0].Field != "rep_mt_billets" || ov.Rejections[0].Message == "") {
				t.Errorf("KO remarks %+v", ov.Rejections)
			}
			// Shown on the declaration page.
			cl := e.Client()
			cl.StartSession(e.user, time.Hour)
			shown := cl.Get(paths.To.Declaration(e.org, e.serie)).Text(`[data-organism="SACD"] .fr-alert`)
			if want := locale.For("fr").T(c.key, "code", ov.RemoteCode); !strings.Contains(shown, want) {
				t.Errorf("page shows %q, want %q", shown, want)
			}
			if c.failure == sacdtest.KO && !strings.Contains(shown, "rep_mt_billets : Le montant des billets est incohérent") {
				t.Errorf("KO remark not shown: %q", shown)
			}
			e.fake.Fail(sacdtest.Succeed)
			e.transmit(t)
			e.work(t)
			if status, code := e.row(t, "SACD"); status != "PROCESSED" || code != "" {
				t.Errorf("after retry: %q %q", status, code)
			}
		})
	}
}

func TestSacdAcceptedButDocumentsFailedRetrySendsOnlyTheEmail(t *testing.T) {
	// 35999: SACEM-free, and no SACD agency lists 359 or 35999... but 35 is
	// Ouest: use a code whose department has no SACD agency.
	e := newEnv(t, setup{organisms: "SACD", postalCode: "44000", documents: []doc{{"ARTISTIC_CONTRACT", 100}}})
	e.transmit(t)
	e.work(t)
	if n := len(e.fake.Declarations()); n != 1 {
		t.Fatalf("SACD received %d declarations", n)
	}
	if status, code := e.row(t, "SACD"); status != "PENDING" || code != "sacdAgencyNotFound" {
		t.Fatalf("SACD row %q %q", status, code)
	}
	e.exec(t, `UPDATE addresses SET postal_code = '35000' WHERE id = (SELECT address_id FROM places p JOIN event_series s ON s.place_id = p.id WHERE s.id = ?)`, e.serie)
	e.transmit(t)
	e.work(t)
	if n := len(e.fake.Declarations()); n != 1 {
		t.Errorf("SACD received %d declarations after the retry, want still 1", n)
	}
	if status, _ := e.row(t, "SACD"); status != "PROCESSED" {
		t.Errorf("SACD row %q", status)
	}
	if n := len(e.mails("ouest@sacd.test")); n != 1 {
		t.Errorf("%d documents e-mails", n)
	}
}

func TestDoubleClickAndConcurrentRequestsSendOneDeclaration(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACEM,SACD", postalCode: "35000"})
	ctx := context.Background()
	var wg sync.WaitGroup
	ids := make([]string, 8)
	created := make([]bool, 8)
	for i := range ids {
		wg.Go(func() {
			tr, c, err := transmissions.Transmit(ctx, e.DB, e.org, e.serie, e.actor())
			if err != nil {
				t.Error(err)
				return
			}
			ids[i], created[i] = tr.ID.String(), c
		})
	}
	wg.Wait()
	n := 0
	for i := range ids {
		if created[i] {
			n++
		}
		if ids[i] != ids[0] {
			t.Errorf("request %d got transmission %s, not %s", i, ids[i], ids[0])
		}
	}
	if n != 1 {
		t.Errorf("%d transmissions created", n)
	}
	// Two workers (two instances) at once.
	for range 2 {
		wg.Go(func() {
			if err := e.svc.Tick(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	e.work(t)
	// A late click: nothing left to send.
	if _, _, err := transmissions.Transmit(ctx, e.DB, e.org, e.serie, e.actor()); !errors.Is(err, declarations.ErrNothingToTransmit) {
		t.Errorf("late click: %v", err)
	}
	if n := len(e.fake.Declarations()); n != 1 {
		t.Errorf("SACD received %d declarations", n)
	}
	if n := len(e.mails("agence-rennes@sacem.test")); n != 1 {
		t.Errorf("SACEM received %d e-mails", n)
	}
}

func TestDocumentsBeyondTheMessageSizeAreSpreadOverSeveralEmails(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACEM", postalCode: "35000", documents: []doc{
		{"OTHER", 300 << 10}, {"OTHER", 300 << 10}, {"REVENUE_STATEMENT", 300 << 10},
	}})
	e.svc.MaxMessageSize = 600 << 10
	e.transmit(t)
	e.work(t)
	got := e.mails("agence-rennes@sacem.test")
	if len(got) != 3 {
		t.Fatalf("%d e-mails, want 3", len(got))
	}
	files := 0
	subjects := map[string]bool{}
	for _, m := range got {
		files += len(m.Attachments)
		subjects[m.Subject] = true
	}
	if files != 4 || !subjects["Nouvelle déclaration SACEM (1/3)"] || !subjects["Nouvelle déclaration SACEM (3/3)"] {
		t.Errorf("%d files, subjects %v", files, subjects)
	}
	var outbox int
	if err := e.DB.NewRaw(`SELECT cardinality(outbox_ids) FROM transmission_attempts WHERE event_serie_id = ? AND outcome = 'succeeded'`, e.serie).
		Scan(context.Background(), &outbox); err != nil || outbox != 3 {
		t.Errorf("attempt records %d e-mails (%v)", outbox, err)
	}
	if status, _ := e.row(t, "SACEM"); status != "PROCESSED" {
		t.Errorf("SACEM row %q", status)
	}
}

func TestAnAdminRelaunchIsAuditedAndNeverSendsTwice(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACEM,SACD", postalCode: "35000"})
	ctx := context.Background()
	admin := audit.Actor{UserID: e.CreateUser(apptest.UniqueEmail("admin"), true), Email: "support@assistant.test"}
	if _, err := transmissions.Retry(ctx, e.DB, e.serie, admin); !errors.Is(err, transmissions.ErrNothingToRetry) {
		t.Fatalf("retry before any transmission: %v", err)
	}
	e.fake.Fail(sacdtest.ServerError)
	e.transmit(t)
	e.work(t)
	if status, _ := e.row(t, "SACEM"); status != "PROCESSED" {
		t.Fatalf("SACEM %q: its failure must not stop it", status)
	}
	e.fake.Fail(sacdtest.Succeed)
	tr, err := transmissions.Retry(ctx, e.DB, e.serie, admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Organisms) != 1 || tr.Organisms[0] != declarations.SACD || tr.AdminID == nil || *tr.RequestedBy != e.user {
		t.Errorf("relaunch %+v", tr)
	}
	if n := e.count(t, `SELECT count(*) FROM audit_log WHERE action = 'declaration.transmission.retry' AND actor_user_id = ?`, admin.UserID); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	e.work(t)
	if status, _ := e.row(t, "SACD"); status != "PROCESSED" {
		t.Errorf("SACD %q after the relaunch", status)
	}
	if n := len(e.fake.Declarations()); n != 2 {
		t.Errorf("SACD received %d declarations, want the failed one and the accepted one", n)
	}
	if n := len(e.mails("agence-rennes@sacem.test")); n != 1 {
		t.Errorf("SACEM received %d e-mails", n)
	}
}

func TestAStepCutShortByADeadWorkerIsTriedAgain(t *testing.T) {
	e := newEnv(t, setup{organisms: "SACD", postalCode: "35000"})
	tr := e.transmit(t)
	// A worker took it and died during SACD's call.
	e.exec(t, `UPDATE transmissions SET status = 'running', updated_at = now() - interval '10 minutes' WHERE id = ?`, tr.ID)
	e.exec(t, `INSERT INTO transmission_attempts (transmission_id, event_serie_id, organism, step) VALUES (?, ?, 'SACD', 'declare')`, tr.ID, e.serie)
	e.work(t)
	if n := e.count(t, `SELECT count(*) FROM transmission_attempts WHERE transmission_id = ? AND error_code = 'transmissionInterrupted'`, tr.ID); n != 1 {
		t.Errorf("%d interrupted attempts", n)
	}
	if status, _ := e.row(t, "SACD"); status != "PROCESSED" {
		t.Errorf("SACD %q", status)
	}
}
