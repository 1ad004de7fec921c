package transmissions

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"assistant-declaration/app/agencies"
	"assistant-declaration/app/db"
	"assistant-declaration/app/declarations"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/sacd"
	"assistant-declaration/app/sacempdf"
)

// Error codes of the e-mail steps, as the original platform named them.
const (
	CodeSacemUnsuccessful           = "sacemDeclarationUnsuccessful"
	CodeSacdAttachmentsUnsuccessful = "sacdAttachmentsDeclarationUnsuccessful"
	CodeSacemAgencyNotFound         = "sacemAgencyNotFound"
	CodeSacdAgencyNotFound          = "sacdAgencyNotFound"
)

func pdfName(serieName string) string { return sacempdf.FileName(serieName) }

// postalCode is the postal code of the serie's own place, which routes to
// the agencies (decision D4 in docs/decisions.md).
func postalCode(d *declarations.Declaration) string {
	_, a := serieAddress(d)
	return a.PostalCode
}

// sendSacd declares the serie to SACD's web service unless it accepted it
// already, then e-mails the artistic contracts and other documents to the
// SACD agency: two steps recorded apart, so a retry redoes only the one that
// failed (decision D3 in docs/decisions.md).
func (s *Service) sendSacd(ctx context.Context, j *job) error {
	serieID := j.t.EventSerieID
	state, err := stepState(ctx, s.DB, serieID, declarations.SACD, StepDeclare)
	if err != nil {
		return err
	}
	if state != OutcomeSucceeded {
		a, err := s.start(ctx, j, declarations.SACD, StepDeclare)
		if err != nil {
			return err
		}
		receipt, declareErr := s.Sacd(j.declarant.ID).Declare(ctx, sacdDeclaration(j.d))
		if receipt != nil {
			a.XMLSent, a.Answer = receipt.XML, receipt.Answer
			a.DecRef, a.DecNb, a.SacdDate = receipt.DecRef, receipt.DecNb, receipt.SacdDate
		}
		if interrupted(ctx, declareErr) {
			return declareErr // no answer: the attempt stays running until requeued
		}
		if declareErr != nil {
			code := CodeInternal
			var se *sacd.Error
			if errors.As(declareErr, &se) {
				code, a.HTTPStatus, a.Excerpt, a.Rejections = string(se.Code), se.Status, se.Excerpt, se.Rejections
				a.RemoteCode = se.RemoteCode
				declareErr = nil // SACD's answer, recorded: not our failure
			}
			return s.failure(ctx, j, a, code, declareErr)
		}
		now := s.now()
		a.Outcome, a.FinishedAt = OutcomeSucceeded, &now
		if err := saveAttempt(context.WithoutCancel(ctx), s.DB, a); err != nil {
			return err
		}
	}
	if state, err := stepState(ctx, s.DB, serieID, declarations.SACD, StepAttachments); err != nil || state != "" {
		return err // already on their way or sent
	}
	return s.sendEmail(ctx, j, declarations.SACD, StepAttachments, nil)
}

// sendSacem e-mails the PDF and every document to the SACEM agency of the
// place, unless they are already on their way.
func (s *Service) sendSacem(ctx context.Context, j *job) error {
	if state, err := stepState(ctx, s.DB, j.t.EventSerieID, declarations.SACEM, StepEmail); err != nil || state != "" {
		return err // already on their way or sent
	}
	pdf, err := sacemPDF(j.d, j.declarant, s.BaseURL+paths.HomeRoute, s.now())
	if err != nil {
		a := &Attempt{TransmissionID: j.t.ID, EventSerieID: j.t.EventSerieID, Organism: declarations.SACEM, Step: StepEmail, StartedAt: s.now()}
		return s.failure(ctx, j, a, CodeInternal, err)
	}
	return s.sendEmail(ctx, j, declarations.SACEM, StepEmail, pdf)
}

// sendEmail queues the e-mails of a step not tried yet to the organism's
// agency, pdf and the organism's documents spread over as many as
// MaxMessageSize requires, in one transaction with the attempt that follows
// them: they exist if and only if the step is recorded. The documents' bytes
// are read only then. Without a PDF nor documents, the organism accepted.
func (s *Service) sendEmail(ctx context.Context, j *job, o declarations.Organism, step Step, pdf []byte) error {
	a := &Attempt{TransmissionID: j.t.ID, EventSerieID: j.t.EventSerieID, Organism: o, Step: step, StartedAt: s.now(), Document: pdf}
	agencyFor, notFound, unsuccessful := agencies.SacemAgencyFor, CodeSacemAgencyNotFound, CodeSacemUnsuccessful
	if o == declarations.SACD {
		agencyFor, notFound, unsuccessful = agencies.SacdAgencyFor, CodeSacdAgencyNotFound, CodeSacdAttachmentsUnsuccessful
	}
	listed, err := s.documents(ctx, j, o)
	if err != nil {
		return s.failure(ctx, j, a, unsuccessful, err)
	}
	if len(listed) == 0 && pdf == nil {
		return db.RunInTx(context.WithoutCancel(ctx), s.DB, func(ctx context.Context, tx bun.Tx) error {
			return accepted(ctx, tx, j.t.EventSerieID, o, j.actor(), s.now())
		})
	}
	agency, err := agencyFor(ctx, s.DB, postalCode(j.d))
	if errors.Is(err, agencies.ErrSacemAgencyNotFound) || errors.Is(err, agencies.ErrSacdAgencyNotFound) {
		return s.failure(ctx, j, a, notFound, nil)
	}
	if err != nil {
		return s.failure(ctx, j, a, unsuccessful, err)
	}
	a.Recipient = agency.Email
	docs, err := s.withContents(ctx, j, listed)
	if err != nil {
		return s.failure(ctx, j, a, unsuccessful, err)
	}
	var files []mail.Attachment
	if pdf != nil {
		files = append(files, mail.Attachment{Filename: pdfName(j.d.Serie.Name), ContentType: "application/pdf", Content: pdf})
	}
	for _, doc := range docs {
		files = append(files, mail.Attachment{Filename: doc.Name, ContentType: doc.ContentType, Content: doc.Content})
	}
	parts := split(files, s.MaxMessageSize)
	err = db.RunInTx(context.WithoutCancel(ctx), s.DB, func(ctx context.Context, tx bun.Tx) error {
		for i, part := range parts {
			msg, err := mail.Compose(agency.Email, mail.OrganismDeclaration{
				Organism: string(o), SerieName: j.d.Serie.Name, DeclarantName: j.declarant.fullName(), DeclarantEmail: j.declarant.Email,
				OrganizationName: j.d.Organization.Name, Documents: len(part), Part: i + 1, Parts: len(parts),
				AboutURL: s.BaseURL + paths.AboutRoute,
			})
			if err != nil {
				return err
			}
			msg.ReplyTo, msg.Attachments = j.declarant.Email, part
			id, err := mail.EnqueueMessageID(ctx, tx, msg)
			if err != nil {
				return err
			}
			a.OutboxIDs = append(a.OutboxIDs, id)
		}
		a.Outcome = OutcomeWaiting
		return saveAttempt(ctx, tx, a)
	})
	if err != nil {
		a.OutboxIDs = nil
		return s.failure(ctx, j, a, unsuccessful, fmt.Errorf("queue the %s e-mails: %w", o, err))
	}
	return nil
}
