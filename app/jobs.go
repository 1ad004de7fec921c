package app

import (
	"context"
	"fmt"
	"time"

	"github.com/go-co-op/gocron/v2"

	"assistant-declaration/app/mail"
	"assistant-declaration/jobs"
)

// mailSender builds the outbox sender from the configuration.
func (a *App) mailSender() (*mail.Sender, error) {
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

// startJobs starts this instance's scheduler. Every instance runs one; the
// advisory locker makes each scheduled slot run once across all of them.
// The returned function stops scheduling and waits for running jobs.
func (a *App) startJobs(ctx context.Context) (func(), error) {
	s, err := jobs.New(a.db, a.cfg.InstanceID, a.logger)
	if err != nil {
		return nil, err
	}
	if err := jobs.RegisterCore(s, a.db); err != nil {
		return nil, err
	}
	sender, err := a.mailSender()
	if err != nil {
		return nil, err
	}
	err = s.Add("send-emails", gocron.DurationJob(5*time.Second), func(ctx context.Context) error {
		_, err := sender.SendDue(ctx, a.db, 50)
		return err
	})
	if err != nil {
		return nil, err
	}
	a.scheduler = s
	s.Start()
	return func() {
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownTimeout)
		defer cancel()
		if err := s.Shutdown(shutdownCtx); err != nil {
			a.logger.Error("scheduler shutdown", "error", err)
		}
	}, nil
}
