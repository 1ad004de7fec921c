package transmissions

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/attachments"
	"assistant-declaration/app/audit"
	"assistant-declaration/app/db"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/sacd"
)

// Service sends the queued transmissions.
type Service struct {
	DB bun.IDB
	// Store holds the bytes of the serie's documents.
	Store attachments.Store
	// Sacd gives the SACD client of the declarant (the mock outside
	// production, see sacd.NewFactory).
	Sacd sacd.Factory
	// MaxMessageSize bounds each e-mail to an agency (MAILER_MAX_MESSAGE_SIZE).
	MaxMessageSize int
	// BaseURL is the platform's absolute URL, for the links of the e-mails.
	BaseURL string
	Logger  *slog.Logger
	// Concurrency bounds the transmissions one Tick sends at once (default 4).
	Concurrency int
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// staleAfter is how long a running transmission may go without news before
// its worker is taken for dead: each step is bounded by the SACD client's
// timeout, far shorter.
const staleAfter = 5 * time.Minute

// claimBatch is how many queued transmissions one Tick takes.
const claimBatch = 50

// Tick does the queue's work once: it gives back to the queue the
// transmissions of dead workers, sends the queued ones (claimed with FOR
// UPDATE SKIP LOCKED, so instances never take the same one) and checks
// whether SMTP accepted the e-mails of those waiting. The transmissions
// poller calls it every few seconds.
func (s *Service) Tick(ctx context.Context) (err error) {
	defer derrors.Wrap(&err, "transmissions: tick")
	if err := s.requeueStale(ctx); err != nil {
		return err
	}
	for {
		claimed, err := s.claim(ctx, claimBatch)
		if err != nil {
			return err
		}
		if len(claimed) == 0 {
			break
		}
		s.sendAll(ctx, claimed)
		if len(claimed) < claimBatch || ctx.Err() != nil {
			break
		}
	}
	return s.settleWaiting(ctx)
}

// sendAll sends the claimed transmissions, a few at a time.
func (s *Service) sendAll(ctx context.Context, claimed []Transmission) {
	n := s.Concurrency
	if n <= 0 {
		n = 4
	}
	slots := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i := range claimed {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			if err := s.Send(ctx, &claimed[i]); err != nil {
				s.logger().Error("transmission failed", "transmission_id", claimed[i].ID, "event_serie_id", claimed[i].EventSerieID, "error", err)
			}
		})
	}
	wg.Wait()
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// requeueStale gives back to the queue the transmissions of dead workers.
func (s *Service) requeueStale(ctx context.Context) error {
	return s.requeue(ctx, "updated_at < ?", s.now().Add(-staleAfter))
}

// requeue fails as interrupted the steps left running by the running
// transmissions cond selects (a dead worker's, or the one a shutdown cut
// short) and queues them again; a step cut short is tried again (SACD
// answers within the client's timeout, so a declaration without an answer
// was not recorded as accepted).
func (s *Service) requeue(ctx context.Context, cond string, args ...any) error {
	return db.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		var ids []uuid.UUID
		if err := tx.NewUpdate().Model((*Transmission)(nil)).Where("status = ?", StatusRunning).Where(cond, args...).
			Set("status = ?, updated_at = now()", StatusPending).Returning("id").Scan(ctx, &ids); err != nil {
			return fmt.Errorf("requeue the interrupted transmissions: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		_, err := tx.NewUpdate().Model((*Attempt)(nil)).
			Where("transmission_id IN (?) AND outcome = ?", bun.List(ids), OutcomeRunning).
			Set("outcome = ?, error_code = ?, finished_at = now()", OutcomeFailed, CodeInterrupted).Exec(ctx)
		return err
	})
}

// claim marks up to n queued transmissions running and returns them.
func (s *Service) claim(ctx context.Context, n int) ([]Transmission, error) {
	var out []Transmission
	err := s.DB.NewRaw(`UPDATE transmissions SET status = ?, started_at = now(), updated_at = now()
WHERE id IN (SELECT id FROM transmissions WHERE status = ? ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT ?)
RETURNING *`, StatusRunning, StatusPending, n).Scan(ctx, &out)
	if err != nil {
		return nil, fmt.Errorf("claim the queued transmissions: %w", err)
	}
	return out, nil
}

// settleWaiting settles the transmissions waiting for SMTP, by batches in id
// order.
func (s *Service) settleWaiting(ctx context.Context) error {
	after := uuid.Nil
	for {
		done := 0
		err := db.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
			var waiting []*Transmission
			if err := tx.NewSelect().Model(&waiting).Where("status = ? AND id > ?", StatusWaiting, after).
				OrderExpr("id").Limit(claimBatch).For("UPDATE SKIP LOCKED").Scan(ctx); err != nil {
				return fmt.Errorf("lock the waiting transmissions: %w", err)
			}
			if done = len(waiting); done > 0 {
				after = waiting[done-1].ID
			}
			return s.settle(ctx, tx, waiting)
		})
		if err != nil || done < claimBatch {
			return err
		}
	}
}

// job is what one transmission's steps share.
type job struct {
	t         *Transmission
	d         *declarations.Declaration
	declarant declarant
	// docs are the serie's documents once listed (by the first e-mail step
	// that needs them); contents are the bytes read so far, read only for an
	// e-mail about to be queued.
	docs     []attachments.Attachment
	listed   bool
	contents map[uuid.UUID][]byte
}

// document is a file of the serie with its bytes.
type document struct {
	attachments.Attachment
	Content []byte
}

func (j *job) actor() audit.Actor {
	return audit.Actor{UserID: j.declarant.ID, Email: j.declarant.Email}
}

// Send sends a claimed transmission: each organism in turn, SACD first, the
// failure of one never stopping the next (decision D2 in docs/decisions.md),
// then records where it stands. When ctx ends meanwhile (the instance
// shutting down), the step under way records no failure and the
// transmission goes back to the queue, as a dead worker's does: another
// instance or the next start resumes it.
func (s *Service) Send(ctx context.Context, t *Transmission) (err error) {
	defer derrors.Wrap(&err, "transmissions: send %s of serie %s", t.ID, t.EventSerieID)
	j := &job{t: t}
	j.d, err = declarations.Load(ctx, s.DB, t.OrganizationID, t.EventSerieID, false)
	if errors.Is(err, declarations.ErrSerieNotFound) {
		return s.end(ctx, t) // deleted meanwhile: nothing left to send
	}
	if err != nil {
		return s.end(ctx, t, err)
	}
	if j.declarant, err = loadDeclarant(ctx, s.DB, t.RequestedBy, t.RequestedByEmail); err != nil {
		return s.end(ctx, t, err)
	}
	var errs []error
	for _, o := range t.Organisms {
		if ctx.Err() != nil {
			break
		}
		if j.d.State.Accepted(o) {
			continue
		}
		switch o {
		case declarations.SACD:
			errs = append(errs, s.sendSacd(ctx, j))
		case declarations.SACEM:
			errs = append(errs, s.sendSacem(ctx, j))
		}
	}
	return s.end(ctx, t, errs...)
}

// end settles t, whose steps ended with errs, in its own transaction; or,
// when ctx ended, queues it again, the errors of the interruption dropped.
func (s *Service) end(ctx context.Context, t *Transmission, errs ...error) error {
	if ctx.Err() == nil {
		return errors.Join(append(errs, s.finish(ctx, t))...)
	}
	var kept []error
	for _, err := range errs {
		if !interrupted(ctx, err) {
			kept = append(kept, err)
		}
	}
	s.logger().Info("transmission interrupted, queued again", "transmission_id", t.ID, "event_serie_id", t.EventSerieID)
	return errors.Join(append(kept, s.requeue(context.WithoutCancel(ctx), "id = ?", t.ID))...)
}

// interrupted reports whether err is ctx's end (the instance shutting down)
// rather than a failure of the step: no failure is recorded, the step is
// tried again once its transmission is queued again.
func interrupted(ctx context.Context, err error) bool {
	return err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err())
}

// finish settles t in its own transaction.
func (s *Service) finish(ctx context.Context, t *Transmission) error {
	return db.RunInTx(context.WithoutCancel(ctx), s.DB, func(ctx context.Context, tx bun.Tx) error {
		return s.settle(ctx, tx, []*Transmission{t})
	})
}

// documents are the serie's documents organism o receives, without their
// bytes: SACD the artistic contracts and other documents, SACEM every one.
func (s *Service) documents(ctx context.Context, j *job, o declarations.Organism) ([]attachments.Attachment, error) {
	if !j.listed {
		list, err := attachments.List(ctx, s.DB, j.t.EventSerieID)
		if err != nil {
			return nil, err
		}
		j.docs, j.listed = list, true
	}
	if o == declarations.SACEM {
		return j.docs, nil
	}
	var out []attachments.Attachment
	for _, a := range j.docs {
		if a.Type == attachments.ArtisticContract || a.Type == attachments.Other {
			out = append(out, a)
		}
	}
	return out, nil
}

// withContents reads the bytes of docs, once per job.
func (s *Service) withContents(ctx context.Context, j *job, docs []attachments.Attachment) ([]document, error) {
	if j.contents == nil {
		j.contents = map[uuid.UUID][]byte{}
	}
	out := make([]document, len(docs))
	for i, a := range docs {
		content, ok := j.contents[a.ID]
		if !ok {
			var err error
			if content, err = s.Store.Get(ctx, a.ID); err != nil {
				return nil, err
			}
			j.contents[a.ID] = content
		}
		out[i] = document{Attachment: a, Content: content}
	}
	return out, nil
}

// stepState is how a step of the serie stands over all its transmissions:
// succeeded or waiting (never to be tried again), or "" (to try).
func stepState(ctx context.Context, idb bun.IDB, serieID uuid.UUID, o declarations.Organism, step Step) (Outcome, error) {
	var outcomes []Outcome
	err := idb.NewSelect().Model((*Attempt)(nil)).Column("outcome").
		Where("event_serie_id = ? AND organism = ? AND step = ? AND outcome IN (?, ?)", serieID, o, step, OutcomeSucceeded, OutcomeWaiting).
		Limit(1).Scan(ctx, &outcomes)
	if err != nil || len(outcomes) == 0 {
		return "", err
	}
	return outcomes[0], nil
}

// failure records a failed attempt, its code on the organism's declaration
// row and in the history, in one transaction, and returns cause (our side's
// error, nil for an organism's answer) with any error recording it. A cause
// that is the worker's interruption records nothing: the transmission goes
// back to the queue (see Send).
func (s *Service) failure(ctx context.Context, j *job, a *Attempt, code string, cause error) error {
	if interrupted(ctx, cause) {
		return cause
	}
	ctx = context.WithoutCancel(ctx)
	now := s.now()
	a.Outcome, a.ErrorCode, a.FinishedAt = OutcomeFailed, code, &now
	return errors.Join(cause, db.RunInTx(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		if err := saveAttempt(ctx, tx, a); err != nil {
			return err
		}
		if err := declarations.RecordFailed(ctx, tx, j.t.EventSerieID, a.Organism, code, now); err != nil {
			return err
		}
		return declarations.RecordChange(ctx, tx, j.t.EventSerieID, j.actor(), FieldTransmission, "",
			fmt.Sprintf("%s : échec (%s)", a.Organism, code))
	}))
}

// accepted records that organism o accepted the declaration at at.
func accepted(ctx context.Context, tx bun.IDB, serieID uuid.UUID, o declarations.Organism, actor audit.Actor, at time.Time) error {
	if err := declarations.RecordAccepted(ctx, tx, serieID, o, at); err != nil {
		return err
	}
	return declarations.RecordChange(ctx, tx, serieID, actor, FieldTransmission, "", fmt.Sprintf("%s : acceptée", o))
}

// saveAttempt inserts a or records its outcome.
func saveAttempt(ctx context.Context, idb bun.IDB, a *Attempt) error {
	if a.Rejections == nil {
		a.Rejections = []sacd.Representation{}
	}
	if a.OutboxIDs == nil {
		a.OutboxIDs = []uuid.UUID{}
	}
	if a.ID == uuid.Nil {
		a.ID = uuid.New()
		_, err := idb.NewInsert().Model(a).Exec(ctx)
		return err
	}
	_, err := idb.NewUpdate().Model(a).WherePK().ExcludeColumn("id", "transmission_id", "event_serie_id", "organism", "step", "started_at").Exec(ctx)
	return err
}

// start records that a step is being tried.
func (s *Service) start(ctx context.Context, j *job, o declarations.Organism, step Step) (*Attempt, error) {
	a := &Attempt{TransmissionID: j.t.ID, EventSerieID: j.t.EventSerieID, Organism: o, Step: step, Outcome: OutcomeRunning, StartedAt: s.now()}
	if err := saveAttempt(ctx, s.DB, a); err != nil {
		return nil, err
	}
	_, err := s.DB.NewUpdate().Model((*Transmission)(nil)).Where("id = ?", j.t.ID).Set("updated_at = now()").Exec(ctx)
	return a, err
}

// settle looks at the e-mails of ts, in one statement for them all: an
// organism whose e-mails SMTP all accepted has accepted; a transmission
// waits while some are not sent, and ends otherwise, with the receipt to the
// declarant when an organism accepted. tx holds the rows of ts.
func (s *Service) settle(ctx context.Context, tx bun.Tx, ts []*Transmission) error {
	if len(ts) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, len(ts))
	byID := make(map[uuid.UUID]*Transmission, len(ts))
	for i, t := range ts {
		ids[i], byID[t.ID] = t.ID, t
	}
	var waiting []Attempt
	if err := tx.NewSelect().Model(&waiting).ExcludeColumn("document", "xml_sent", "answer").
		Where("transmission_id IN (?) AND outcome = ?", bun.List(ids), OutcomeWaiting).Scan(ctx); err != nil {
		return fmt.Errorf("waiting steps of %d transmissions: %w", len(ts), err)
	}
	sets := make([][]uuid.UUID, len(waiting))
	for i, a := range waiting {
		sets[i] = a.OutboxIDs
	}
	deliveries, err := mail.DeliveriesOf(ctx, tx, sets)
	if err != nil {
		return err
	}
	still := map[uuid.UUID]bool{}
	for i := range waiting {
		a, d, t := &waiting[i], deliveries[i], byID[waiting[i].TransmissionID]
		if !d.AllSent() {
			still[t.ID] = true
			if d.Retrying && a.ErrorCode != CodeSMTPRetrying {
				if _, err := tx.NewUpdate().Model(a).WherePK().Set("error_code = ?", CodeSMTPRetrying).Exec(ctx); err != nil {
					return err
				}
			}
			continue
		}
		at := d.LastSentAt
		if at.IsZero() {
			at = s.now()
		}
		if _, err := tx.NewUpdate().Model(a).WherePK().Set("outcome = ?, error_code = '', finished_at = ?", OutcomeSucceeded, at).Exec(ctx); err != nil {
			return err
		}
		if err := accepted(ctx, tx, t.EventSerieID, a.Organism, t.requester(), at); err != nil {
			return err
		}
	}
	for _, t := range ts {
		status := StatusFinished
		if still[t.ID] {
			status = StatusWaiting
		}
		if status == t.Status {
			continue // still waiting
		}
		q := tx.NewUpdate().Model(t).WherePK().Set("status = ?, updated_at = now()", status)
		if status == StatusFinished {
			q = q.Set("finished_at = now()")
		}
		if _, err := q.Exec(ctx); err != nil {
			return fmt.Errorf("record %s %s: %w", t.ID, status, err)
		}
		t.Status = status
		if status == StatusFinished {
			if err := s.receipt(ctx, tx, t); err != nil {
				return err
			}
		}
	}
	return nil
}

// requester is who asked for t, as the history names them.
func (t *Transmission) requester() audit.Actor {
	actor := audit.Actor{Email: t.RequestedByEmail}
	if t.RequestedBy != nil {
		actor.UserID = *t.RequestedBy
	}
	return actor
}

// receipt e-mails the declarant the organisms that accepted during t, with
// the SACEM PDF when SACEM is one of them (decision D13 in docs/decisions.md).
func (s *Service) receipt(ctx context.Context, tx bun.Tx, t *Transmission) error {
	var organisms []declarations.Organism
	if err := tx.NewSelect().Table("event_serie_declarations").Column("type").
		Where("event_serie_id = ? AND status = ? AND transmitted_at >= ?", t.EventSerieID, declarations.StatusProcessed, t.CreatedAt).
		OrderExpr("type DESC").Scan(ctx, &organisms); err != nil {
		return fmt.Errorf("organisms accepted during %s: %w", t.ID, err)
	}
	if len(organisms) == 0 {
		return nil
	}
	p, err := loadDeclarant(ctx, tx, t.RequestedBy, t.RequestedByEmail)
	if err != nil || p.Email == "" {
		return err
	}
	var serieName string
	if err := tx.NewSelect().Table("event_series").Column("name").Where("id = ?", t.EventSerieID).Scan(ctx, &serieName); err != nil {
		return err
	}
	names := make([]string, len(organisms))
	for i, o := range organisms {
		names[i] = string(o)
	}
	first := p.FirstName
	if first == "" {
		first = p.Email
	}
	msg, err := mail.Compose(p.Email, mail.DeclarationReceipt{FirstName: first, SerieName: serieName, Organisms: names,
		DeclarationURL: s.BaseURL + paths.To.Declaration(t.OrganizationID, t.EventSerieID)})
	if err != nil {
		return err
	}
	var pdf []Attempt
	if err := tx.NewSelect().Model(&pdf).Column("document").
		Where("transmission_id = ? AND organism = ? AND outcome = ? AND document IS NOT NULL", t.ID, declarations.SACEM, OutcomeSucceeded).
		Limit(1).Scan(ctx); err != nil {
		return err
	}
	if len(pdf) == 1 {
		msg.Attachments = []mail.Attachment{{Filename: pdfName(serieName), ContentType: "application/pdf", Content: pdf[0].Document}}
	}
	return mail.EnqueueMessage(ctx, tx, msg)
}
