package admin

import (
	"html"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/locale"
	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// jobsView is the page of the scheduled jobs and pollers.
type jobsView struct {
	web.Layout
	Jobs []JobState
}

// RunsHTML writes the rows of the table of job j's last runs (see
// table_html.go): eight jobs of up to ten runs made the page's template
// evaluate some five hundred actions.
func (v *jobsView) RunsHTML(j JobState) template.HTML {
	var b strings.Builder
	for _, r := range j.LastRuns {
		b.WriteString("\n    <tr>")
		cell(&b, locale.DateTime(r.StartedAt))
		cell(&b, v.L.T(r.StatusKey()))
		cell(&b, r.Duration())
		cell(&b, r.InstanceID)
		b.WriteString("\n            <td>")
		if e := r.ShortError(); e != "" {
			b.WriteString("<code>" + html.EscapeString(e) + "</code>")
		}
		b.WriteString("</td>\n    </tr>")
	}
	return template.HTML(b.String()) //nolint:gosec // escaped above
}

// Jobs shows every job with its schedule, its last runs and its health.
func (h *Handlers) Jobs(c *fiber.Ctx) error {
	states, err := JobStates(c.UserContext(), h.db, h.JobCatalog, h.now())
	if err != nil {
		return err
	}
	return web.Render(c, 0, "pages/admin/jobs", "", &jobsView{Layout: web.AdminSection(c, "admin.jobs.title"), Jobs: states})
}

// RunJob asks for one run of the job now ("Exécuter maintenant").
func (h *Handlers) RunJob(c *fiber.Ctx) error {
	name := c.Params("name")
	if err := RequestJobRun(c.UserContext(), h.db, h.JobCatalog, web.AuditActor(c), name); err != nil {
		return err
	}
	web.AddFlash(c, "success", "admin.jobs.requested")
	return web.Redirect(c, paths.To.AdminJobs())
}
