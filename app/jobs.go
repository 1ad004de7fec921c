package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/go-co-op/gocron/v2"

	"assistant-declaration/app/accounts"
	"assistant-declaration/app/attachments"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/organizations"
	"assistant-declaration/app/reminders"
	"assistant-declaration/app/statistics"
	"assistant-declaration/app/synchronization"
	"assistant-declaration/app/users"
	"assistant-declaration/app/web"
	"assistant-declaration/jobs"
)

// mailSender builds the outbox sender from the configuration.
func (a *App) mailSender() (_ *mail.Sender, err error) {
	defer derrors.Wrap(&err, "app: mail sender")
	toSMTP := func(host string, port int, user, password, tls string) mail.SMTP {
		return mail.SMTP{Host: host, Port: port, Username: user, Password: password, TLS: tls, Timeout: 30 * time.Second}
	}
	c := a.cfg
	mc := mail.Config{
		DefaultFrom:    fmt.Sprintf("Assistant déclaration <noreply@%s>", c.MailerDefaultDomain),
		DomainsToCatch: c.MailerDomainsToCatch,
		Primary:        toSMTP(c.SMTP.Host, c.SMTP.Port, c.SMTP.Username, c.SMTP.Password, c.SMTP.TLS),
		Logger:         a.logger,
	}
	if fb := c.FallbackSMTP; fb != nil {
		s := toSMTP(fb.Host, fb.Port, fb.Username, fb.Password, fb.TLS)
		mc.Fallback = &s
	}
	return mail.NewSender(mc)
}

// newScheduler builds this instance's scheduler with every job registered,
// not started: the admin jobs page lists them and the command line runs one.
// The outbox sender is added by StartJobs, from the SMTP configuration of that
// moment.
func (a *App) newScheduler() (_ *jobs.Scheduler, _ *synchronization.Runner, err error) {
	defer derrors.Wrap(&err, "app: register the jobs")
	s, err := jobs.New(a.db, a.cfg.InstanceID, a.logger)
	if err != nil {
		return nil, nil, err
	}
	// Each package purges its own tables.
	purges := slices.Concat(jobs.PurgeJobs(), web.PurgeJobs(), users.PurgeJobs(), mail.PurgeJobs(), organizations.PurgeJobs())
	if err := s.AddPurges(a.db, purges...); err != nil {
		return nil, nil, err
	}
	// "Exécuter maintenant" of the admin jobs page.
	if err := s.AddRequestPoller(a.poll(2 * time.Second)); err != nil {
		return nil, nil, err
	}
	if err := attachments.RegisterJobs(s, a.db, a.attachStore, a.logger); err != nil {
		return nil, nil, err
	}
	if err := a.addRetentionJob(s); err != nil {
		return nil, nil, err
	}
	if err := a.addDeadlineRemindersJob(s); err != nil {
		return nil, nil, err
	}
	// Declarations queued by "Déclarer" (package transmissions): sent, then
	// followed until SMTP accepted their e-mails.
	if err := s.AddPoller("transmissions", a.poll(2*time.Second), a.transmit.Tick); err != nil {
		return nil, nil, err
	}
	// The figures of /admin/statistics and /impact (decision P11, docs/decisions.md).
	err = s.Add("refresh-statistics", gocron.CronJob("*/10 * * * *", false), func(ctx context.Context) error {
		return statistics.Refresh(ctx, a.db)
	})
	if err != nil {
		return nil, nil, err
	}
	runner, err := a.addSynchronizationJobs(s)
	if err != nil {
		return nil, nil, err
	}
	return s, runner, nil
}

// StartJobs starts this instance's scheduler. Every instance runs one; the
// advisory locker makes each scheduled slot run once across all of them.
// The returned function stops scheduling and waits for running jobs.
func (a *App) StartJobs(ctx context.Context) (_ func(), err error) {
	defer derrors.Wrap(&err, "app: start jobs")
	s, runner := a.scheduler, a.runner
	sender, err := a.mailSender()
	if err != nil {
		return nil, err
	}
	err = s.AddPoller("send-emails", a.poll(5*time.Second), func(ctx context.Context) error {
		_, err := sender.SendDue(ctx, a.db, 50)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.Start()
	return func() {
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownTimeout)
		defer cancel()
		if err := s.Shutdown(shutdownCtx); err != nil {
			a.logger.Error("scheduler shutdown", "error", err)
		}
		// After the scheduler: no new run is claimed; those in progress are cancelled and
		// record their outcome.
		runner.Shutdown()
	}, nil
}

// addRetentionJob registers account-retention (decision P14, docs/decisions.md), daily at 04:15
// Paris, clear of the hour daylight saving time skips or repeats: it warns the
// owners of accounts about to reach the inactivity limit, then deletes those
// warned long enough ago (see accounts.InactivityLimit).
func (a *App) addRetentionJob(s *jobs.Scheduler) (err error) {
	defer derrors.Wrap(&err, "app: add the retention job")
	return s.Add("account-retention", gocron.CronJob("15 4 * * *", false), func(ctx context.Context) error {
		now := time.Now()
		warned, warnErr := accounts.WarnInactiveAccounts(ctx, a.db, a.cfg.BaseURL, now)
		deleted, deleteErr := accounts.DeleteInactiveAccounts(ctx, a.db, now)
		a.logger.Info("account retention", "warned", warned, "deleted", deleted)
		return errors.Join(warnErr, deleteErr)
	})
}

// addDeadlineRemindersJob registers deadline-reminders, daily at 09:30 Paris
// (read during office hours): it e-mails the collaborators of organizations
// about their ended series not declared 10 days before the SACEM deadline
// (see reminders.SendDue).
func (a *App) addDeadlineRemindersJob(s *jobs.Scheduler) (err error) {
	defer derrors.Wrap(&err, "app: add the deadline reminders job")
	return s.Add("deadline-reminders", gocron.CronJob("30 9 * * *", false), func(ctx context.Context) error {
		n, err := reminders.SendDue(ctx, a.db, a.cfg.BaseURL, time.Now())
		a.logger.Info("deadline reminders", "series", n)
		return err
	})
}

// syncConcurrency bounds the organizations this instance synchronizes at once.
const syncConcurrency = 4

// addSynchronizationJobs registers the ticketing synchronization jobs (decision T9, docs/decisions.md): a worker
// claiming the runs users asked for, every few seconds, which keeps running them after the
// page is closed; and the nightly enqueue of every organization with a connected system, spread
// over the night (the runner's concurrency bounds the load).
func (a *App) addSynchronizationJobs(s *jobs.Scheduler) (_ *synchronization.Runner, err error) {
	defer derrors.Wrap(&err, "app: add the synchronization jobs")
	runner := synchronization.NewRunner(a.sync, syncConcurrency)
	if err := s.AddPoller("ticketing-sync-runs", a.poll(3*time.Second), runner.Tick); err != nil {
		return nil, err
	}
	err = s.Add("ticketing-sync-nightly", gocron.CronJob("0 1 * * *", false), func(ctx context.Context) error {
		n, err := a.sync.EnqueueNightly(ctx)
		a.logger.Info("nightly ticketing synchronizations enqueued", "organizations", n)
		return err
	})
	return runner, err
}

// poll is the interval of a poller: its production default unless the app
// was built with Deps.PollInterval (tests want emails and runs at once).
func (a *App) poll(def time.Duration) time.Duration {
	if a.pollInterval > 0 {
		return a.pollInterval
	}
	return def
}
