package declarations

import (
	"context"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/web"
)

// serieID reads the serie id of the route; a malformed one is a 404.
func serieID(c *fiber.Ctx, param string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Params(param))
	if err != nil {
		return uuid.Nil, ErrSerieNotFound
	}
	return id, nil
}

// load builds the view of the stored declaration.
func (h *Handlers) load(ctx context.Context, orgID, id uuid.UUID) (*formView, error) {
	d, err := Load(ctx, h.db, orgID, id, false)
	if err != nil {
		return nil, err
	}
	return newFormView(orgID, d), nil
}

// newFormView is the form of declaration d as stored.
func newFormView(orgID uuid.UUID, d *Declaration) *formView {
	v := &formView{OrganizationID: orgID, D: d, Values: FormValues(d), Saved: map[string]bool{}}
	v.Was = v.Values
	v.Totals = ComputeTotals(d.Events)
	return v
}

// renderPage renders the whole page: the form of v with what only the page
// shows (suggestions, history, the documents and transmission panels), read
// in one more statement.
func (h *Handlers) renderPage(c *fiber.Ctx, status int, v *formView) error {
	data, err := h.loadPage(c.UserContext(), v.OrganizationID, v.D.Serie.ID)
	if err != nil {
		return err
	}
	v.Suggestions, v.History = data.suggestions, data.history
	if h.Attachments.View != nil {
		if v.Attachments, err = h.Attachments.View(c, v.D, data.attachments, v.ReadOnly(), v.Admin); err != nil {
			return err
		}
	}
	if h.Transmission.View != nil {
		if v.Transmission, err = h.Transmission.View(c, v.D, data.transmission, v.ReadOnly(), v.Admin); err != nil {
			return err
		}
	}
	v.Layout = v.layout(c)
	return web.Render(c, status, "pages/declarations/declaration", "", v)
}

// Show is the declaration page of a serie ("Déclaration d'un spectacle").
func (h *Handlers) Show(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "declarations: show serie %s", c.Params("eventSerieId"))
	id, err := serieID(c, "eventSerieId")
	if err != nil {
		return err
	}
	v, err := h.load(c.UserContext(), organizations.CurrentOrganization(c).ID, id)
	if err != nil {
		return err
	}
	return h.renderPage(c, 0, v)
}

// ShowAdmin is the back office's read-only view of a declaration.
func (h *Handlers) ShowAdmin(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "declarations: show serie %s to an admin", c.Params("serieId"))
	orgID, err := web.IDParam(c, "id")
	if err != nil {
		return err
	}
	id, err := serieID(c, "serieId")
	if err != nil {
		return err
	}
	v, err := h.load(c.UserContext(), orgID, id)
	if err != nil {
		return err
	}
	v.Admin = true
	return h.renderPage(c, 0, v)
}

// ShowTransmitErrors is the declaration page after a refused "Déclarer": each
// problem of errs next to its field and the invalidDeclarationFieldsToTransmit
// summary at the top, with status 422.
func (h *Handlers) ShowTransmitErrors(c *fiber.Ctx, orgID, serieID uuid.UUID, errs derrors.Fields) (err error) {
	defer derrors.Wrap(&err, "declarations: show the transmission errors of serie %s", serieID)
	v, err := h.load(c.UserContext(), orgID, serieID)
	if err != nil {
		return err
	}
	v.Errors, v.Summary, v.TransmitSummary = errs, true, true
	return h.renderPage(c, fiber.StatusUnprocessableEntity, v)
}
