package attachments

// Handlers are the attachment routes. Each mutation answers an htmx request
// with the panel, and a plain form post with a redirection to the
// declaration page (PRG) carrying the messages as flashes.
type Handlers struct {
	svc *Service
}

// NewHandlers builds the handlers over svc.
func NewHandlers(svc *Service) *Handlers { return &Handlers{svc: svc} }
