package synchronization

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/web"
)

// ConnectView is the page of the connect and update forms.
type ConnectView struct {
	web.Layout
	Organization *organizations.Organization
	Form         ConnectForm
}

// ConnectForm is the data of the connect and update forms.
type ConnectForm struct {
	Action    string
	System    ticketing.System
	Systems   []SystemChoice
	Fields    []FieldView
	Errors    derrors.Fields
	Updating  bool
	CancelURL string
}

// SystemChoice is a system offered by the connect form, with the link showing its fields.
type SystemChoice struct {
	Name     ticketing.System
	URL      string
	Selected bool
}

// FieldView is one credential input.
type FieldView struct {
	ticketing.CredentialField
	ID    string
	Label string
	Hint  string
	Value string
	Error string
}

// Summary lists the credential fields in error at the top of the form.
func (f ConnectForm) Summary(l *locale.Localizer) []web.SummaryItem {
	var items []web.SummaryItem
	for _, field := range f.Fields {
		if field.Error != "" {
			items = append(items, web.SummaryItem{ID: field.ID, Label: l.T(field.Label), Message: l.T(field.Error)})
		}
	}
	return items
}

// DocsURL is the connection guide of the form's system.
func (f ConnectForm) DocsURL() string {
	return paths.To.ConnectionGuide(string(f.System))
}

// credentialLabelKey is the message key of a credential field's label (locales:
// synchronization.fields).
func credentialLabelKey(field string) string {
	if field == ticketing.FieldSecretKey {
		return "synchronization.fields.secretKey"
	}
	return "synchronization.fields.accessKey"
}

// credentialHintKey is the message key telling where a system's credential is found (locales:
// synchronization.fields.<system>).
func credentialHintKey(system ticketing.System, field string) string {
	group := strings.ToLower(string(system))
	if system == ticketing.SoTicket { // a white label of Supersoniks: same credentials
		group = "supersoniks"
	}
	suffix := ".accessHint"
	if field == ticketing.FieldSecretKey {
		suffix = ".secretHint"
	}
	return "synchronization.fields." + group + suffix
}

func newConnectForm(c *fiber.Ctx, action string, system ticketing.System, creds ticketing.Credentials, errs derrors.Fields) ConnectForm {
	org := organizations.CurrentOrganization(c)
	f := ConnectForm{Action: action, System: system, Errors: errs, CancelURL: paths.To.TicketingSystems(org.ID)}
	for _, s := range ticketing.Systems() {
		f.Systems = append(f.Systems, SystemChoice{Name: s, URL: paths.To.TicketingConnectSystem(org.ID, string(s)), Selected: s == system})
	}
	for _, field := range system.CredentialFields() {
		v := FieldView{CredentialField: field, ID: "ticketing-" + strings.ReplaceAll(field.Name, "_", "-"),
			Label: credentialLabelKey(field.Name), Hint: credentialHintKey(system, field.Name), Error: errs[field.Name]}
		// Secrets are never rendered back (decision T10, docs/decisions.md), not even the one just typed.
		if !field.Secret {
			v.Value = creds.AccessKey
		}
		f.Fields = append(f.Fields, v)
	}
	return f
}

// TitleKey names the page: connecting a system, or changing its credentials.
func (f ConnectForm) TitleKey() string {
	if f.Updating {
		return "synchronization.update.title"
	}
	return "synchronization.connect.title"
}

func (h *Handlers) renderForm(c *fiber.Ctx, status int, f ConnectForm) error {
	l := web.Localizer(c)
	title := l.T(f.TitleKey())
	trail := organizations.Trail(c).Then(l.T("synchronization.list.title"), f.CancelURL).Here(title)
	return web.Render(c, status, "pages/synchronization/connect", "partials/synchronization/connect-form", &ConnectView{
		Layout:       web.Layout{Title: web.Title(title, organizations.CurrentOrganization(c).Name), Breadcrumb: trail},
		Organization: organizations.CurrentOrganization(c),
		Form:         f,
	})
}

// ShowConnect shows the connect form; ?system= chooses the system whose fields are shown.
func (h *Handlers) ShowConnect(c *fiber.Ctx) error {
	org := organizations.CurrentOrganization(c)
	system := ticketing.System(c.Query("system"))
	if system.CredentialFields() == nil {
		system = ""
	}
	return h.renderForm(c, 0, newConnectForm(c, paths.To.TicketingConnect(org.ID), system, ticketing.Credentials{}, derrors.Fields{}))
}

func formInput(c *fiber.Ctx) ConnectInput {
	return ConnectInput{
		OrganizationID: organizations.CurrentOrganization(c).ID,
		System:         ticketing.System(web.FormValue(c, FieldSystem)),
		Credentials: ticketing.Credentials{
			AccessKey: web.FormValue(c, ticketing.FieldAccessKey),
			SecretKey: web.FormValue(c, ticketing.FieldSecretKey),
		},
		Actor: web.CurrentUser(c), Audit: web.AuditActor(c),
	}
}

// systemInput is the form posted about the :ticketingSystemId of the organization.
func (h *Handlers) systemInput(c *fiber.Ctx) (*System, ConnectInput, error) {
	s, err := h.loadSystem(c)
	if err != nil {
		return nil, ConnectInput{}, err
	}
	in := formInput(c)
	in.SystemID, in.System = s.ID, s.Name
	return s, in, nil
}

// Connect tests and saves a new system.
func (h *Handlers) Connect(c *fiber.Ctx) error {
	in := formInput(c)
	_, errs, err := h.svc.Connect(c.UserContext(), in)
	if err != nil {
		return err
	}
	if errs.Any() {
		f := newConnectForm(c, paths.To.TicketingConnect(in.OrganizationID), in.System, in.Credentials, errs)
		return h.renderForm(c, fiber.StatusUnprocessableEntity, f)
	}
	web.AddFlash(c, "success", "synchronization.connect.done")
	return web.Redirect(c, paths.To.TicketingSystems(in.OrganizationID))
}

// ShowUpdate shows the form replacing a system's credentials, with masked placeholders.
func (h *Handlers) ShowUpdate(c *fiber.Ctx) error {
	s, err := h.loadSystem(c)
	if err != nil {
		return err
	}
	f := newConnectForm(c, paths.To.TicketingSystemEdit(s.OrganizationID, s.ID), s.Name, ticketing.Credentials{}, derrors.Fields{})
	f.Updating = true
	return h.renderForm(c, 0, f)
}

// Update tests and saves new credentials.
func (h *Handlers) Update(c *fiber.Ctx) error {
	s, in, err := h.systemInput(c)
	if err != nil {
		return err
	}
	_, errs, err := h.svc.UpdateCredentials(c.UserContext(), in)
	if err != nil {
		return err
	}
	if errs.Any() {
		f := newConnectForm(c, paths.To.TicketingSystemEdit(s.OrganizationID, s.ID), s.Name, in.Credentials, errs)
		f.Updating = true
		return h.renderForm(c, fiber.StatusUnprocessableEntity, f)
	}
	web.AddFlash(c, "success", "synchronization.update.done")
	return web.Redirect(c, paths.To.TicketingSystems(s.OrganizationID))
}

// Disconnect soft-deletes a system; its series stay.
func (h *Handlers) Disconnect(c *fiber.Ctx) error {
	s, in, err := h.systemInput(c)
	if err != nil {
		return err
	}
	if err := Disconnect(c.UserContext(), h.svc.DB, in); err != nil {
		return err
	}
	web.AddFlash(c, "success", "synchronization.disconnect.done")
	return web.Redirect(c, paths.To.TicketingSystems(s.OrganizationID))
}
