package synchronization

// Handlers serve the ticketing pages of an organization. Every route runs after
// web.RequireUser and organizations.RequireCollaborator, which load the organization.
type Handlers struct {
	svc *Service
}

// NewHandlers builds the handlers.
func NewHandlers(svc *Service) *Handlers { return &Handlers{svc: svc} }

// AdminHandlers serve the back office's ticketing screens; routes run after web.RequireAdmin.
type AdminHandlers struct {
	svc *Service
}

// NewAdminHandlers builds the admin handlers.
func NewAdminHandlers(svc *Service) *AdminHandlers { return &AdminHandlers{svc: svc} }
