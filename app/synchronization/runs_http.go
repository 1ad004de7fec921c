package synchronization

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/web"
)

// RunView is a run as its progress fragment shows it.
type RunView struct {
	*Run
	// URL is the run's progress, polled while it is not finished.
	URL string
}

// ErrorKey translates the run's failure.
func (r RunView) ErrorKey() string {
	if r.ErrorCode == nil {
		return ""
	}
	return ErrorKey(*r.ErrorCode)
}

// SystemErrorKey translates a system's failure within the run.
func (RunView) SystemErrorKey(s RunSystem) string {
	if s.ErrorCode == nil {
		return ""
	}
	return SystemErrorKey(s.System, *s.ErrorCode)
}

// WarningMessage is one reason something was left out of a system's synchronization: its
// message key (counted: "count") and how many.
type WarningMessage struct {
	Key   string
	Count int
}

// WarningMessages translates the system's warnings, ordered by code.
func (s RunSystem) WarningMessages() []WarningMessage {
	codes := slices.Sorted(maps.Keys(s.Warnings))
	messages := make([]WarningMessage, 0, len(codes))
	for _, code := range codes {
		key := warningMessagePrefix + "unknown"
		if translatedWarningCodes[code] {
			key = warningMessagePrefix + string(code)
		}
		messages = append(messages, WarningMessage{Key: key, Count: s.Warnings[code]})
	}
	return messages
}

// warningMessagePrefix is the locales' section of the warnings' messages.
const warningMessagePrefix = "synchronization.warnings."

// translatedWarningCodes are the warning codes with a message (locales: synchronization.warnings).
var translatedWarningCodes = map[ticketing.WarningCode]bool{ticketing.WarningUndatedTickets: true}

// shownRun is the view of an organization's latest run on a page being loaded: nil for none
// or for a success, which only the progress fragment that saw it end shows.
func shownRun(organizationID uuid.UUID, run *Run) *RunView {
	if run == nil || run.Status == RunSucceeded {
		return nil
	}
	return &RunView{Run: run, URL: paths.To.SynchronizationRun(organizationID, run.ID)}
}

// fromSystemsPage tells whether an htmx request comes from the organization's ticketing systems
// page, whose table the finished run's fragment updates out of band.
func fromSystemsPage(c *fiber.Ctx, organizationID uuid.UUID) bool {
	u, err := url.Parse(c.Get("HX-Current-URL"))
	return err == nil && u.Path == paths.To.TicketingSystems(organizationID)
}

// PanelView is what partials/synchronization/synchronize needs besides the layout's L and Page:
// the "Synchroniser" button and the latest run's progress (nil before the first run).
type PanelView struct {
	SynchronizeURL string
	Run            *RunView
}

// Panel gives the organization page its synchronization panel, with the
// organization's latest run (nil before the first) the page read with its
// series.
func (h *Handlers) Panel(c *fiber.Ctx, latest *Run) *PanelView {
	org := organizations.CurrentOrganization(c)
	return &PanelView{SynchronizeURL: paths.To.Synchronize(org.ID), Run: shownRun(org.ID, latest)}
}

// RunPageView is the page, or the polled fragment, of a run's progress.
type RunPageView struct {
	web.Layout
	Organization *organizations.Organization
	Run          *RunView
	ListURL      string
	// UpdatedSystems are the organization's systems once the run is over, for the list page.
	UpdatedSystems []SystemView
}

// Synchronize enqueues a run (or finds the one in progress) and shows its progress: the
// fragment for htmx, the run's own page otherwise (without JavaScript, it has a link to
// reload it).
func (h *Handlers) Synchronize(c *fiber.Ctx) error {
	org := organizations.CurrentOrganization(c)
	user := web.CurrentUser(c)
	run, _, err := Enqueue(c.UserContext(), h.svc.DB, org.ID, &user.ID, h.svc.now())
	if errors.Is(err, ErrNoValidTicketingSystem) {
		web.AddFlash(c, "error", ErrorKey(ErrNoValidTicketingSystem.Code))
		return web.Redirect(c, paths.To.TicketingSystems(org.ID))
	}
	if err != nil {
		return err
	}
	if !web.IsFragmentRequest(c) {
		return web.Redirect(c, paths.To.SynchronizationRun(org.ID, run.ID))
	}
	return h.renderRun(c, run)
}

// Progress is the polled fragment of a run.
func (h *Handlers) Progress(c *fiber.Ctx) error {
	org := organizations.CurrentOrganization(c)
	id, err := web.IDParam(c, "runId")
	if err != nil {
		return err
	}
	run, err := GetRun(c.UserContext(), h.svc.DB, org.ID, id)
	if err != nil {
		return fmt.Errorf("synchronization: progress of run %s: %w", id, err)
	}
	return h.renderRun(c, run)
}

func (h *Handlers) renderRun(c *fiber.Ctx, run *Run) error {
	org := organizations.CurrentOrganization(c)
	l := web.Localizer(c)
	title := l.T("synchronization.run.title")
	view := &RunPageView{
		Layout: web.Layout{Title: web.Title(title, org.Name),
			Breadcrumb: organizations.Trail(c).Then(l.T("synchronization.list.title"), paths.To.TicketingSystems(org.ID)).Here(title)},
		Organization: org,
		Run:          &RunView{Run: run, URL: paths.To.SynchronizationRun(org.ID, run.ID)},
		ListURL:      paths.To.TicketingSystems(org.ID),
	}
	if run.Finished() && web.IsFragmentRequest(c) {
		// Lets the series list on the same page reload itself (series-slot).
		c.Set("HX-Trigger", "synchronizationFinished")
		if fromSystemsPage(c, org.ID) {
			systems, err := ListSystemsForOrganization(c.UserContext(), h.svc.DB, org.ID)
			if err != nil {
				return fmt.Errorf("synchronization: systems of %s after run %s: %w", org.ID, run.ID, err)
			}
			view.UpdatedSystems = viewSystems(systems)
		}
	}
	return web.Render(c, 0, "pages/synchronization/run", "partials/synchronization/run", view)
}
