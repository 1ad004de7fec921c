package declarations

import (
	"net/url"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// posted reads the form: the fields (names not starting with "_"; the
// organisms' checkboxes joined), what the page showed (the "_was.<group>"
// records) and the group an htmx change posts, a performance's names on the
// page mapped back to the form's (see pageNames).
func posted(c *fiber.Ctx) (values, was Values, group string) {
	values, was = Values{}, Values{}
	args := c.Request().PostArgs()
	names := pageNames{}
	args.VisitAll(func(k, v []byte) { names.add(string(k), string(v)) })
	var organisms []string
	args.VisitAll(func(k, v []byte) {
		name, value := string(k), string(v)
		switch {
		case strings.HasPrefix(name, "_was."):
			q, err := url.ParseQuery(value)
			if err != nil {
				return // a tampered record: the fields count as changed
			}
			for n := range q {
				if full := names.field(n); full != "" {
					was[full] = q.Get(n)
				}
			}
		case name == "_group":
			group = names.group(value)
		case strings.HasPrefix(name, "_"):
		case name == FieldOrganisms:
			if value != "" {
				organisms = append(organisms, value)
			}
			values[name] = ""
		default:
			if full := names.field(name); full != "" {
				values[full] = value
			}
		}
	})
	if _, ok := values[FieldOrganisms]; ok {
		sort.Strings(organisms)
		values[FieldOrganisms] = strings.Join(organisms, ",")
	}
	return values, was, group
}

// save saves what the request changed.
func (h *Handlers) save(c *fiber.Ctx, values, was Values) (*SaveResult, error) {
	id, err := serieID(c, "eventSerieId")
	if err != nil {
		return nil, err
	}
	return Save(c.UserContext(), h.db, SaveInput{
		OrganizationID: organizations.CurrentOrganization(c).ID, SerieID: id,
		Changes: Changed(values, was), By: web.AuditActor(c), Now: h.now(),
	})
}

// invalid re-renders the form with the typed values over the stored ones and
// the errors next to their fields.
func (h *Handlers) invalid(c *fiber.Ctx, values, was Values, errs derrors.Fields) (*formView, error) {
	id, err := serieID(c, "eventSerieId")
	if err != nil {
		return nil, err
	}
	v, err := h.load(c.UserContext(), organizations.CurrentOrganization(c).ID, id)
	if err != nil {
		return nil, err
	}
	v.Values = Values{}
	for k, val := range v.Was {
		v.Values[k] = val
	}
	for k, val := range values {
		v.Values[k] = val
	}
	// The page keeps what it started from, so correcting the error later
	// still saves only what this tab changed.
	v.Was = Values{}
	for k, val := range v.Values {
		v.Was[k] = val
	}
	for k, val := range was {
		v.Was[k] = val
	}
	v.Errors = errs
	return v, nil
}

// SaveAll saves the whole form ("Enregistrer", the way without JavaScript):
// every field validated, nothing saved unless all are valid, the errors next
// to their fields and listed at the top.
func (h *Handlers) SaveAll(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "declarations: save the form of serie %s", c.Params("eventSerieId"))
	values, was, _ := posted(c)
	_, err = h.save(c, values, was)
	if errs, ok := derrors.AsFields(err); ok {
		v, err := h.invalid(c, values, was, errs)
		if err != nil {
			return err
		}
		v.Summary = true
		return h.renderPage(c, fiber.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	id, err := serieID(c, "eventSerieId")
	if err != nil {
		return err
	}
	web.AddFlash(c, "success", "declarations.saved")
	return web.Redirect(c, paths.To.Declaration(organizations.CurrentOrganization(c).ID, id))
}

// SaveFields saves a group of fields (htmx, on change): the group comes back
// with "Enregistré" or its errors (422), the totals and the propagation
// message out of band, and the performances when a serie-level value
// reached them.
func (h *Handlers) SaveFields(c *fiber.Ctx) (err error) {
	defer derrors.Wrap(&err, "declarations: save fields of serie %s", c.Params("eventSerieId"))
	values, was, group := posted(c)
	if groupFields(group) == nil {
		// Another organization's serie stays a 404 whatever the group.
		id, err := serieID(c, "eventSerieId")
		if err != nil {
			return err
		}
		if _, err := Load(c.UserContext(), h.db, organizations.CurrentOrganization(c).ID, id, false); err != nil {
			return err
		}
		return derrors.New(derrors.ErrInvalid, "declarations.errors.unknownGroup")
	}
	res, err := h.save(c, values, was)
	if errs, ok := derrors.AsFields(err); ok {
		v, err := h.invalid(c, values, was, errs)
		if err != nil {
			return err
		}
		v.Group = group
		return h.renderFragment(c, fiber.StatusUnprocessableEntity, v)
	}
	if err != nil {
		return err
	}
	orgID := organizations.CurrentOrganization(c).ID
	id, err := serieID(c, "eventSerieId")
	if err != nil {
		return err
	}
	if group == GroupOrganisms || !web.IsFragmentRequest(c) {
		// The organisms decide which fields show: the page comes back whole.
		return web.Redirect(c, paths.To.Declaration(orgID, id))
	}
	v := newFormView(orgID, res.Declaration)
	v.Group, v.Saved, v.Propagations = group, res.Saved, res.Propagations
	return h.renderFragment(c, 0, v)
}

func (h *Handlers) renderFragment(c *fiber.Ctx, status int, v *formView) error {
	v.Layout = v.layout(c)
	if !web.IsFragmentRequest(c) {
		return h.renderPage(c, status, v)
	}
	return web.Render(c, status, "pages/declarations/declaration", "partials/declarations/answer", v)
}

// EventByGroup is the performance of an event group, for the answer.
func (v *formView) EventByGroup(group string) *eventCtx {
	rest, ok := strings.CutPrefix(group, "e-")
	if !ok || len(rest) < 36 {
		return nil
	}
	id, err := uuid.Parse(rest[:36])
	if err != nil {
		return nil
	}
	for i := range v.D.Events {
		if v.D.Events[i].ID == id {
			return &eventCtx{V: v, E: &v.D.Events[i], I: i}
		}
	}
	return nil
}

// groupKind is the kind of an event group ("ticketing"...), "" for a serie group.
func groupKind(group string) string {
	rest, ok := strings.CutPrefix(group, "e-")
	if !ok || len(rest) < 38 {
		return ""
	}
	return rest[37:]
}

// AnswerKind is the group kind of the answer, for the template.
func (v *formView) AnswerKind() string { return groupKind(v.Group) }
