package synchronization

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"assistant-declaration/app/organizations"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/ticketing"
	"assistant-declaration/app/web"
)

// SystemView is a ticketing system as the pages show it: never its credentials.
type SystemView struct {
	ID                 uuid.UUID
	Name               ticketing.System
	LastSynchronizedAt *time.Time
	ErrorKey           string
	// ErrorArgument is the value ErrorKey's message names ("argument"), "" when none.
	ErrorArgument string
	ErrorCode     string
	ErrorStatus   int
	ErrorExcerpt  string
	ErrorAt       *time.Time
	EditURL       string
	DisconnectURL string
}

func viewSystem(s *System) SystemView {
	v := SystemView{ID: s.ID, Name: s.Name, LastSynchronizedAt: s.LastSynchronizedAt, ErrorAt: s.LastErrorAt,
		ErrorArgument: s.LastErrorArgument,
		EditURL:       paths.To.TicketingSystemEdit(s.OrganizationID, s.ID),
		DisconnectURL: paths.To.TicketingSystemDisconnect(s.OrganizationID, s.ID)}
	if s.LastErrorCode != nil {
		v.ErrorCode, v.ErrorKey = *s.LastErrorCode, SystemErrorKey(s.Name, *s.LastErrorCode)
	}
	if s.LastErrorHTTPStatus != nil {
		v.ErrorStatus = *s.LastErrorHTTPStatus
	}
	if s.LastErrorExcerpt != nil {
		v.ErrorExcerpt = *s.LastErrorExcerpt
	}
	return v
}

func viewSystems(systems []System) []SystemView {
	views := make([]SystemView, len(systems))
	for i := range systems {
		views[i] = viewSystem(&systems[i])
	}
	return views
}

// ListView is the page of the organization's ticketing systems.
type ListView struct {
	web.Layout
	Organization *organizations.Organization
	Systems      []SystemView
	// SynchronizeURL and Run feed partials/synchronization/synchronize.
	SynchronizeURL string
	Run            *RunView
	ConnectURL     string
	CanConnect     bool
}

// List shows the connected systems, their last synchronization and error, and the button
// synchronizing them with the progress of the current run.
func (h *Handlers) List(c *fiber.Ctx) error {
	org := organizations.CurrentOrganization(c)
	ctx := c.UserContext()
	systems, runs, err := SystemsAndRuns(ctx, h.svc.DB, org.ID, 1)
	if err != nil {
		return err
	}
	var run *RunView
	if len(runs) > 0 {
		run = shownRun(org.ID, &runs[0])
	}
	title := web.Localizer(c).T("synchronization.list.title")
	return web.Render(c, 0, "pages/synchronization/list", "", &ListView{
		Layout:         web.Layout{Title: web.Title(title, org.Name), Breadcrumb: organizations.Trail(c).Here(title)},
		Organization:   org,
		Systems:        viewSystems(systems),
		Run:            run,
		ConnectURL:     paths.To.TicketingConnect(org.ID),
		SynchronizeURL: paths.To.Synchronize(org.ID),
		CanConnect:     len(systems) < MaxSystemsPerOrganization,
	})
}

// loadSystem reads the :ticketingSystemId of the organization; any other id is 404.
func (h *Handlers) loadSystem(c *fiber.Ctx) (*System, error) {
	id, err := web.IDParam(c, "ticketingSystemId")
	if err != nil {
		return nil, err
	}
	orgID := organizations.CurrentOrganization(c).ID
	s, err := getSystem(c.UserContext(), h.svc.DB, orgID, id)
	if err != nil {
		return nil, fmt.Errorf("synchronization: load system %s of %s: %w", id, orgID, err)
	}
	return s, nil
}
