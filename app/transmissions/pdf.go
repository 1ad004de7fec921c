package transmissions

import (
	"context"

	"github.com/google/uuid"

	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/users"
)

// SacemPDF is the SACEM PDF of serie serieID of organization orgID and its
// file name: the copy SACEM received once it accepted the declaration, a
// preview signed by viewer before (decision D13 in docs/decisions.md).
func (s *Service) SacemPDF(ctx context.Context, orgID, serieID uuid.UUID, viewer *users.User) (pdf []byte, name string, err error) {
	defer derrors.Wrap(&err, "transmissions: SACEM PDF of serie %s", serieID)
	d, err := declarations.Load(ctx, s.DB, orgID, serieID, false)
	if err != nil {
		return nil, "", err
	}
	name = pdfName(d.Serie.Name)
	if d.State.Accepted(declarations.SACEM) {
		var sent []Attempt
		err := s.DB.NewSelect().Model(&sent).Column("document").
			Where("event_serie_id = ? AND organism = ? AND outcome = ? AND document IS NOT NULL", serieID, declarations.SACEM, OutcomeSucceeded).
			OrderExpr("started_at DESC").Limit(1).Scan(ctx)
		if err != nil {
			return nil, "", err
		}
		if len(sent) == 1 {
			return sent[0].Document, name, nil
		}
	}
	if len(d.Events) == 0 {
		return nil, "", declarations.ErrNoEventToTransmit
	}
	p := declarant{}
	if viewer != nil {
		p = declarant{ID: viewer.ID, FirstName: viewer.FirstName, LastName: viewer.LastName, Email: viewer.Email}
	}
	pdf, err = sacemPDF(d, p, s.BaseURL+paths.HomeRoute, s.now())
	return pdf, name, err
}
