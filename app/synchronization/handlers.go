package synchronization

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/organizations"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/web"
)

// Handlers serve the ticketing pages of an organization. Every route runs after
// web.RequireUser and organizations.RequireCollaborator, which load the organization.
type Handlers struct {
	svc *Service
}

// NewHandlers builds the handlers.
func NewHandlers(svc *Service) *Handlers { return &Handlers{svc: svc} }

// ListPath is the organization's list of ticketing systems.
func ListPath(organizationID uuid.UUID) string {
	return "/dashboard/organization/" + organizationID.String() + "/ticketing-systems"
}

// ConnectPath is the connect form.
func ConnectPath(organizationID uuid.UUID) string {
	return "/dashboard/organization/" + organizationID.String() + "/ticketing-system/connect"
}

func systemPath(organizationID, id uuid.UUID) string {
	return "/dashboard/organization/" + organizationID.String() + "/ticketing-system/" + id.String()
}

// SynchronizePath enqueues a synchronization of the organization.
func SynchronizePath(organizationID uuid.UUID) string {
	return ListPath(organizationID) + "/synchronize"
}

func runPath(organizationID, runID uuid.UUID) string {
	return ListPath(organizationID) + "/synchronization/" + runID.String()
}

// systemView is a ticketing system as the pages show it: never its credentials.
type systemView struct {
	ID                 uuid.UUID
	Name               ticketing.System
	LastSynchronizedAt *time.Time
	ErrorKey           string
	ErrorCode          string
	ErrorStatus        int
	ErrorExcerpt       string
	ErrorAt            *time.Time
	EditURL            string
	DisconnectURL      string
}

func viewSystem(s *System) systemView {
	v := systemView{ID: s.ID, Name: s.Name, LastSynchronizedAt: s.LastSynchronizedAt, ErrorAt: s.LastErrorAt,
		EditURL: systemPath(s.OrganizationID, s.ID) + "/edit", DisconnectURL: systemPath(s.OrganizationID, s.ID) + "/disconnect"}
	if s.LastErrorCode != nil {
		v.ErrorCode, v.ErrorKey = *s.LastErrorCode, ErrorKey(*s.LastErrorCode)
	}
	if s.LastErrorHTTPStatus != nil {
		v.ErrorStatus = *s.LastErrorHTTPStatus
	}
	if s.LastErrorExcerpt != nil {
		v.ErrorExcerpt = *s.LastErrorExcerpt
	}
	return v
}

// runView is a run as its progress fragment shows it.
type runView struct {
	*Run
	URL string
}

// StatusKey translates the run's status (locales: synchronization.runStatus).
func (r runView) StatusKey() string { return "synchronization.runStatus." + r.Status }

// ErrorKey translates the run's failure.
func (r runView) ErrorKey() string {
	if r.ErrorCode == nil {
		return ""
	}
	return ErrorKey(*r.ErrorCode)
}

// SystemErrorKey translates a system's failure within the run.
func (runView) SystemErrorKey(s RunSystem) string {
	if s.ErrorCode == nil {
		return ""
	}
	return ErrorKey(*s.ErrorCode)
}

// List shows the connected systems, their last synchronization and error, and the button
// synchronizing them with the progress of the current run.
func (h *Handlers) List(c *fiber.Ctx) error {
	org := organizations.CurrentOrganization(c)
	ctx := c.UserContext()
	systems, err := ListSystemsForOrganization(ctx, h.svc.DB, org.ID)
	if err != nil {
		return err
	}
	views := make([]systemView, len(systems))
	for i := range systems {
		views[i] = viewSystem(&systems[i])
	}
	run, err := h.latestRun(ctx, org.ID)
	if err != nil {
		return err
	}
	return web.Render(c, 0, "pages/ticketing/list", "", fiber.Map{
		"Title":          web.Localizer(c).T("synchronization.list.title"),
		"Organization":   org,
		"Systems":        views,
		"Run":            run,
		"ConnectURL":     ConnectPath(org.ID),
		"SynchronizeURL": SynchronizePath(org.ID),
		"CanConnect":     len(systems) < MaxSystemsPerOrganization,
	})
}

// latestRun is the organization's most recent run, or nil.
func (h *Handlers) latestRun(ctx context.Context, organizationID uuid.UUID) (*runView, error) {
	runs, err := h.svc.ListRuns(ctx, organizationID, 1)
	if err != nil || len(runs) == 0 {
		return nil, err
	}
	return &runView{Run: &runs[0], URL: runPath(organizationID, runs[0].ID)}, nil
}

// Panel gives the organization page what partials/ticketing/synchronize needs
// (the "Synchroniser" button and the latest run's progress).
func (h *Handlers) Panel(c *fiber.Ctx) (fiber.Map, error) {
	org := organizations.CurrentOrganization(c)
	run, err := h.latestRun(c.UserContext(), org.ID)
	if err != nil {
		return nil, err
	}
	return fiber.Map{"SynchronizeURL": SynchronizePath(org.ID), "Run": run}, nil
}

// connectForm is the data of the connect and update forms.
type connectForm struct {
	Action    string
	System    ticketing.System
	Systems   []ticketing.System
	Fields    []fieldView
	Errors    web.FormErrors
	Updating  bool
	CancelURL string
}

// fieldView is one credential input.
type fieldView struct {
	ticketing.CredentialField
	ID    string
	Value string
	Error string
}

// DocsURL is the connection guide of the form's system.
func (f connectForm) DocsURL() string {
	return "/docs/" + strings.ToLower(string(f.System)) + "-connection"
}

func newConnectForm(action string, system ticketing.System, creds ticketing.Credentials, errs web.FormErrors) connectForm {
	f := connectForm{Action: action, System: system, Systems: ticketing.Systems(), Errors: errs}
	for _, field := range system.CredentialFields() {
		v := fieldView{CredentialField: field, ID: "ticketing-" + strings.ReplaceAll(field.Name, "_", "-"), Error: errs[field.Name]}
		// Secrets are never rendered back (decision T10, docs/decisions.md), not even the one just typed.
		if !field.Secret {
			v.Value = creds.AccessKey
		}
		f.Fields = append(f.Fields, v)
	}
	return f
}

func (h *Handlers) renderForm(c *fiber.Ctx, status int, f connectForm) error {
	org := organizations.CurrentOrganization(c)
	f.CancelURL = ListPath(org.ID)
	title := "synchronization.connect.title"
	if f.Updating {
		title = "synchronization.update.title"
	}
	return web.Render(c, status, "pages/ticketing/connect", "partials/ticketing/connect-form", fiber.Map{
		"Title": web.Localizer(c).T(title), "Organization": org, "Form": f,
	})
}

// ShowConnect shows the connect form; ?system= chooses the system whose fields are shown.
func (h *Handlers) ShowConnect(c *fiber.Ctx) error {
	org := organizations.CurrentOrganization(c)
	system := ticketing.System(c.Query("system"))
	if system.CredentialFields() == nil {
		system = ""
	}
	return h.renderForm(c, 0, newConnectForm(ConnectPath(org.ID), system, ticketing.Credentials{}, web.FormErrors{}))
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

// Connect tests and saves a new system.
func (h *Handlers) Connect(c *fiber.Ctx) error {
	in := formInput(c)
	_, errs, err := h.svc.Connect(c.UserContext(), in)
	if err != nil {
		return err
	}
	if errs.Any() {
		return h.renderForm(c, fiber.StatusUnprocessableEntity, newConnectForm(ConnectPath(in.OrganizationID), in.System, in.Credentials, errs))
	}
	web.AddFlash(c, "success", "synchronization.connect.done")
	return web.Redirect(c, ListPath(in.OrganizationID))
}

// loadSystem reads the :ticketingSystemId of the organization; any other id is 404.
func (h *Handlers) loadSystem(c *fiber.Ctx) (*System, error) {
	id, err := uuid.Parse(c.Params("ticketingSystemId"))
	if err != nil {
		return nil, web.ErrNotFound
	}
	s, err := getSystem(c.UserContext(), h.svc.DB, organizations.CurrentOrganization(c).ID, id)
	if errors.Is(err, ErrSystemNotFound) {
		return nil, web.ErrNotFound
	}
	return s, err
}

// ShowUpdate shows the form replacing a system's credentials, with masked placeholders.
func (h *Handlers) ShowUpdate(c *fiber.Ctx) error {
	s, err := h.loadSystem(c)
	if err != nil {
		return err
	}
	f := newConnectForm(systemPath(s.OrganizationID, s.ID)+"/edit", s.Name, ticketing.Credentials{}, web.FormErrors{})
	f.Updating = true
	return h.renderForm(c, 0, f)
}

// Update tests and saves new credentials.
func (h *Handlers) Update(c *fiber.Ctx) error {
	s, err := h.loadSystem(c)
	if err != nil {
		return err
	}
	in := formInput(c)
	in.SystemID, in.System = s.ID, s.Name
	_, errs, err := h.svc.UpdateCredentials(c.UserContext(), in)
	if errors.Is(err, ErrSystemNotFound) { // disconnected since loaded
		return web.ErrNotFound
	}
	if err != nil {
		return err
	}
	if errs.Any() {
		f := newConnectForm(systemPath(s.OrganizationID, s.ID)+"/edit", s.Name, in.Credentials, errs)
		f.Updating = true
		return h.renderForm(c, fiber.StatusUnprocessableEntity, f)
	}
	web.AddFlash(c, "success", "synchronization.update.done")
	return web.Redirect(c, ListPath(s.OrganizationID))
}

// Disconnect soft-deletes a system; its series stay.
func (h *Handlers) Disconnect(c *fiber.Ctx) error {
	s, err := h.loadSystem(c)
	if err != nil {
		return err
	}
	in := formInput(c)
	in.SystemID = s.ID
	if err := h.svc.Disconnect(c.UserContext(), in); err != nil {
		return err
	}
	web.AddFlash(c, "success", "synchronization.disconnect.done")
	return web.Redirect(c, ListPath(s.OrganizationID))
}

// Synchronize enqueues a run (or finds the one in progress) and shows its progress: the
// fragment for htmx, the run's own page otherwise (without JavaScript, it has a link to
// reload it).
func (h *Handlers) Synchronize(c *fiber.Ctx) error {
	org := organizations.CurrentOrganization(c)
	user := web.CurrentUser(c)
	run, _, err := h.svc.Enqueue(c.UserContext(), org.ID, &user.ID, h.svc.now())
	if errors.Is(err, ErrNoValidTicketingSystem) {
		web.AddFlash(c, "error", ErrorKey(ErrNoValidTicketingSystem.Code))
		return web.Redirect(c, ListPath(org.ID))
	}
	if err != nil {
		return err
	}
	if !web.IsFragmentRequest(c) {
		return web.Redirect(c, runPath(org.ID, run.ID))
	}
	return h.renderRun(c, run)
}

// Progress is the polled fragment of a run.
func (h *Handlers) Progress(c *fiber.Ctx) error {
	org := organizations.CurrentOrganization(c)
	id, err := uuid.Parse(c.Params("runId"))
	if err != nil {
		return web.ErrNotFound
	}
	run, err := h.svc.GetRun(c.UserContext(), org.ID, id)
	if errors.Is(err, ErrSystemNotFound) {
		return web.ErrNotFound
	}
	if err != nil {
		return err
	}
	return h.renderRun(c, run)
}

func (h *Handlers) renderRun(c *fiber.Ctx, run *Run) error {
	org := organizations.CurrentOrganization(c)
	if run.Finished() && web.IsFragmentRequest(c) {
		// Lets the series list on the same page reload itself (series-slot).
		c.Set("HX-Trigger", "synchronizationFinished")
	}
	return web.Render(c, 0, "pages/ticketing/run", "partials/ticketing/run", fiber.Map{
		"Title":        web.Localizer(c).T("synchronization.run.title"),
		"Organization": org,
		"Run":          &runView{Run: run, URL: runPath(org.ID, run.ID)},
		"ListURL":      ListPath(org.ID),
	})
}
