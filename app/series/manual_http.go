package series

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// Form buttons that change the list of performances instead of saving: they
// re-render the form, so adding and removing works without JavaScript.
const (
	actionAddEvent    = "add-event"
	actionRemoveEvent = "remove-event-" // followed by the index
)

// formPage is the page of the manual serie form and, for htmx, the form alone
// (partials/series/form).
type formPage struct {
	web.Layout
	Heading string
	View    *formView
}

// formView is what partials/series/form shows.
type formView struct {
	OrganizationID uuid.UUID
	SerieID        uuid.UUID // uuid.Nil when adding
	SerieName      string    // as stored, when editing
	Form           Form
	Errors         derrors.Fields
}

// Action is where the form posts.
func (v *formView) Action() string {
	if v.SerieID == uuid.Nil {
		return paths.To.Series(v.OrganizationID, "")
	}
	return paths.To.SerieEdit(v.OrganizationID, v.SerieID)
}

// MaxEvents is the number of performances past which the form offers no
// "add" button.
func (v *formView) MaxEvents() int { return MaxEvents }

// Cancel goes back to the list.
func (v *formView) Cancel() string {
	return paths.To.OrganizationFiltered(v.OrganizationID, string(All))
}

// Summary lists the form's errors at its top, in the form's order, each
// linked to its field.
func (v *formView) Summary(l *locale.Localizer) []web.SummaryItem {
	var items []web.SummaryItem
	add := func(field, id, label string, args ...any) {
		if key, bad := v.Errors[field]; bad {
			items = append(items, web.SummaryItem{ID: id, Label: label, Message: l.T(key, args...)})
		}
	}
	add("name", "serie-name", l.T("series.form.name"))
	add("events", "serie-events-error", l.T("series.form.events"), "min", 1, "max", MaxEvents)
	for i := range v.Form.Events {
		legend := l.T("series.form.eventLegend", "number", i+1) + " : "
		add(EventField(i, "startAt"), fmt.Sprintf("event-%d-start", i), legend+l.T("series.form.startAt"))
		add(EventField(i, "endAt"), fmt.Sprintf("event-%d-end", i), legend+l.T("series.form.endAt"))
	}
	return items
}

// Field is the form field name of performance i.
func (v *formView) Field(i int, name string) string { return EventField(i, name) }

// Error is the error key of performance i's field, if any.
func (v *formView) Error(i int, name string) string { return v.Errors[EventField(i, name)] }

// RemoveAction is the value of the button removing performance i.
func (v *formView) RemoveAction(i int) string { return actionRemoveEvent + strconv.Itoa(i) }

// renderForm titles the form by the serie it edits: "Modifier le spectacle
// « Hamlet »", below the serie's declaration page.
func (h *Handlers) renderForm(c *fiber.Ctx, status int, v *formView) error {
	l := web.Localizer(c)
	org := organizations.CurrentOrganization(c)
	v.OrganizationID = org.ID
	page := &formPage{View: v}
	if v.SerieID == uuid.Nil {
		page.Heading = l.T("series.form.addTitle")
		page.Layout = web.Layout{Title: web.Title(page.Heading, org.Name), Breadcrumb: organizations.Trail(c).Here(page.Heading)}
	} else {
		page.Heading = l.T("series.form.editTitleOf", "name", v.SerieName)
		step := l.T("series.form.editTitle")
		page.Layout = web.Layout{Title: web.Title(step, v.SerieName, org.Name),
			Breadcrumb: organizations.Trail(c).Then(v.SerieName, paths.To.Declaration(org.ID, v.SerieID)).Here(step)}
	}
	return web.Render(c, status, "pages/series/form", "partials/series/form", page)
}

// parseForm reads the manual serie form: performances are numbered from 0
// without gaps, as the form renders them.
func parseForm(c *fiber.Ctx) Form {
	f := Form{Name: web.FormValue(c, "name")}
	args := c.Request().PostArgs()
	for i := 0; i <= MaxEvents && args.Has(EventField(i, "startAt")); i++ {
		f.Events = append(f.Events, EventForm{
			ID:      web.FormValue(c, EventField(i, "id")),
			StartAt: web.FormValue(c, EventField(i, "startAt")),
			EndAt:   web.FormValue(c, EventField(i, "endAt")),
		})
	}
	return f
}

// applyAction adds or removes a performance when one of those buttons was
// pressed; it reports whether one was, in which case the form is re-rendered
// and never saved, even when the change was refused (limit reached).
func applyAction(c *fiber.Ctx, f *Form) bool {
	action := web.BodyValue(c, "action")
	switch {
	case action == actionAddEvent:
		if len(f.Events) < MaxEvents {
			// A new performance starts now, without end.
			f.Events = append(f.Events, EventForm{StartAt: FormatInput(time.Now())})
		}
		return true
	case strings.HasPrefix(action, actionRemoveEvent):
		i, err := strconv.Atoi(strings.TrimPrefix(action, actionRemoveEvent))
		if err == nil && i >= 0 && i < len(f.Events) && len(f.Events) > 1 {
			f.Events = append(f.Events[:i], f.Events[i+1:]...)
		}
		return true
	}
	return false
}

// submitted reads the posted form into v and validates it. When a
// performance was added or removed, or the form is in error, it re-renders
// the form instead and saved is false.
func (h *Handlers) submitted(c *fiber.Ctx, v *formView) (s ManualSerie, saved bool, err error) {
	v.Form = parseForm(c)
	if applyAction(c, &v.Form) {
		return s, false, h.renderForm(c, 0, v)
	}
	s, errs := v.Form.Validate()
	if errs.Any() {
		v.Errors = errs
		return s, false, h.renderForm(c, fiber.StatusUnprocessableEntity, v)
	}
	return s, true, nil
}

// New shows the form adding a manual serie, with one empty performance.
func (h *Handlers) New(c *fiber.Ctx) error {
	return h.renderForm(c, 0, &formView{Form: Form{Events: []EventForm{{}}}})
}

// Create adds a manual serie, then shows it in the list of every serie
// (a future serie is not in the default tab).
func (h *Handlers) Create(c *fiber.Ctx) error {
	org := organizations.CurrentOrganization(c)
	s, saved, err := h.submitted(c, &formView{})
	if !saved {
		return err
	}
	if _, err := CreateManual(c.UserContext(), h.db, org.ID, s, web.AuditActor(c)); err != nil {
		return err
	}
	web.AddFlash(c, "success", "series.form.created")
	return web.Redirect(c, paths.To.OrganizationFiltered(org.ID, string(All)))
}

// loadEditable loads the route's manual serie of the current organization,
// refused with locked when a declaration froze it.
func (h *Handlers) loadEditable(c *fiber.Ctx, locked *derrors.Message) (*organizations.Organization, *Editable, error) {
	org := organizations.CurrentOrganization(c)
	id, err := web.IDParam(c, "eventSerieId")
	if err != nil {
		return nil, nil, err
	}
	e, err := GetEditable(c.UserContext(), h.db, org.ID, id, locked)
	return org, e, err
}

// Edit shows the form of a manual serie.
func (h *Handlers) Edit(c *fiber.Ctx) error {
	_, e, err := h.loadEditable(c, ErrNotUpdatable)
	if err != nil {
		return err
	}
	return h.renderForm(c, 0, &formView{SerieID: e.ID, SerieName: e.Name, Form: e.Form()})
}

// Update saves a manual serie.
func (h *Handlers) Update(c *fiber.Ctx) error {
	// The serie must be the organization's and still editable before the
	// form is even re-rendered.
	org, e, err := h.loadEditable(c, ErrNotUpdatable)
	if err != nil {
		return err
	}
	s, saved, err := h.submitted(c, &formView{SerieID: e.ID, SerieName: e.Name})
	if !saved {
		return err
	}
	if err := UpdateManual(c.UserContext(), h.db, org.ID, e.ID, s, web.AuditActor(c)); err != nil {
		return err
	}
	web.AddFlash(c, "success", "series.form.updated")
	return web.Redirect(c, paths.To.OrganizationFiltered(org.ID, string(All)))
}

// deletePage asks to confirm the deletion of a manual serie.
type deletePage struct {
	web.Layout
	Heading        string
	OrganizationID uuid.UUID
	Serie          *Editable
	Cancel         string
}

// ConfirmDelete asks "Êtes-vous sûr de vouloir supprimer le spectacle … ?"
// on a page of its own, so deleting needs no JavaScript.
func (h *Handlers) ConfirmDelete(c *fiber.Ctx) error {
	org, e, err := h.loadEditable(c, ErrNotDeletable)
	if err != nil {
		return err
	}
	l := web.Localizer(c)
	step := l.T("series.delete.title")
	layout := web.Layout{Title: web.Title(step, e.Name, org.Name),
		Breadcrumb: organizations.Trail(c).Then(e.Name, paths.To.Declaration(org.ID, e.ID)).Here(step)}
	return web.Render(c, 0, "pages/series/delete", "", &deletePage{
		Layout: layout, Heading: l.T("series.delete.titleOf", "name", e.Name), OrganizationID: org.ID, Serie: e,
		Cancel: paths.To.OrganizationFiltered(org.ID, string(All))})
}

// Delete deletes a manual serie.
func (h *Handlers) Delete(c *fiber.Ctx) error {
	org := organizations.CurrentOrganization(c)
	id, err := web.IDParam(c, "eventSerieId")
	if err != nil {
		return err
	}
	if err := DeleteManual(c.UserContext(), h.db, org.ID, id, web.AuditActor(c)); err != nil {
		return err
	}
	web.AddFlash(c, "success", "series.delete.done")
	return web.Redirect(c, paths.To.OrganizationFiltered(org.ID, string(All)))
}
