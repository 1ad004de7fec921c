package admin

import (
	"github.com/gofiber/fiber/v2"

	"assistant-declaration/app/paths"
	"assistant-declaration/app/web"
)

// jobsView is the page of the scheduled jobs and pollers.
type jobsView struct {
	web.Layout
	Jobs []JobState
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
