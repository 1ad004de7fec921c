package paths

// Route patterns of the statistics (package statistics); the admin page's is
// with the back office's (AdminStatisticsRoute).
const (
	// ImpactRoute is the public impact page; its French alias is the same word.
	ImpactRoute = "/impact"
)

// Impact is the public impact page.
func (Paths) Impact() string { return ImpactRoute }
