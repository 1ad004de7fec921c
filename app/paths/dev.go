package paths

// Route patterns of the development tools (dev and test modes only).
const (
	DevMailsRoute     = "/dev/mails"
	DevMailsJSONRoute = "/dev/mails.json"
)

// DevMails lists the emails the development mail catcher received.
func (Paths) DevMails() string { return DevMailsRoute }

// DevMailsJSON is the same list as JSON, for tests and scripts.
func (Paths) DevMailsJSON() string { return DevMailsJSONRoute }
