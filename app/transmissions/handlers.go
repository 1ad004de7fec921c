package transmissions

import "assistant-declaration/app/declarations"

// Handlers serve "Déclarer", the progress of a transmission and the SACEM
// PDF; every route goes through organizations.RequireCollaborator.
type Handlers struct {
	svc *Service
	// declarations renders the declaration page with the fields a refused
	// "Déclarer" points at.
	declarations *declarations.Handlers
}

// NewHandlers builds the handlers.
func NewHandlers(svc *Service, decl *declarations.Handlers) *Handlers {
	return &Handlers{svc: svc, declarations: decl}
}
