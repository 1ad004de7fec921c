// Package reminders owns the declaration deadline reminders (the
// deadline_reminders table). SACEM expects a show's declaration by the last
// day of the month that follows its last performance; 10 days before, the
// daily deadline-reminders job e-mails the collaborators of the organization
// about each of its ended series that is still not declared. Each series gets
// each reminder once, none once it is declared, and a collaborator who
// switched the reminders off in their account settings gets none.
package reminders

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"assistant-declaration/app/declarations"
	"assistant-declaration/app/derrors"
	"assistant-declaration/app/locale"
	"assistant-declaration/app/mail"
	"assistant-declaration/app/paths"
)

// Reminder names one reminder of a series (deadline_reminders.reminder).
type Reminder string

// SacemDeadline is the reminder sent NoticeDays before the SACEM deadline.
const SacemDeadline Reminder = "sacem_deadline"

// NoticeDays is how many days before the SACEM deadline the reminder goes.
// A run missed (the job stopped for a day) sends it on the next one, until
// the deadline itself; a series whose deadline passed gets none.
const NoticeDays = 10

// dueSerie is a series whose reminder is due, with what the e-mail says.
type dueSerie struct {
	ID               uuid.UUID `bun:"id"`
	Name             string    `bun:"name"`
	OrganizationID   uuid.UUID `bun:"organization_id"`
	OrganizationName string    `bun:"organization_name"`
	Deadline         time.Time `bun:"deadline"`
}

// recipient is a collaborator who gets the reminders.
type recipient struct {
	Email     string `bun:"email"`
	FirstName string `bun:"first_name"`
}

// SendDue sends the SACEM deadline reminders due at now and returns how many
// series were reminded. A series is due when its performances are over (their
// end, or their start when they have none), its deadline (the last day of the
// month following the day its last performance starts, in Paris: a show on
// 31 January ending after midnight is January's) is at most NoticeDays days
// away, it is not
// declared (declarations.DeclaredSQL) and was not reminded yet. Each series
// is marked and its e-mails enqueued in one transaction; a series that fails
// does not stop the others.
func SendDue(ctx context.Context, db bun.IDB, baseURL string, now time.Time) (_ int, err error) {
	defer derrors.Wrap(&err, "reminders: send the reminders due at %s", now.Format(time.RFC3339))
	today := now.In(locale.Paris).Format(time.DateOnly)
	var due []dueSerie
	err = db.NewRaw(`SELECT s.id, s.name, o.id AS organization_id, o.name AS organization_name, d.deadline
FROM event_series AS s
JOIN ticketing_systems AS ts ON ts.id = s.ticketing_system_id
JOIN organizations AS o ON o.id = ts.organization_id
CROSS JOIN LATERAL (SELECT max(e.start_at) AS started_at, max(coalesce(e.end_at, e.start_at)) AS ended_at
	FROM events AS e WHERE e.event_serie_id = s.id) AS last
CROSS JOIN LATERAL (SELECT (date_trunc('month', last.started_at AT TIME ZONE 'Europe/Paris') + interval '2 months' - interval '1 day')::date AS deadline) AS d
WHERE last.ended_at < ? AND ?::date BETWEEN d.deadline - ? AND d.deadline
  AND NOT `+declarations.DeclaredSQL("s")+`
  AND NOT EXISTS (SELECT 1 FROM deadline_reminders AS r WHERE r.event_serie_id = s.id AND r.reminder = ?)
ORDER BY d.deadline, s.id`, now, today, NoticeDays, SacemDeadline).Scan(ctx, &due)
	if err != nil {
		return 0, err
	}
	settingsURL := strings.TrimRight(baseURL, "/") + paths.To.Settings()
	n := 0
	var errs []error
	for _, s := range due {
		if err := ctx.Err(); err != nil {
			return n, errors.Join(append(errs, err)...)
		}
		sent := false
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) (err error) {
			sent, err = remind(ctx, tx, s, baseURL, settingsURL)
			return err
		})
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("serie %s: %w", s.ID, err))
		case sent:
			n++
		}
	}
	return n, errors.Join(errs...)
}

// remind marks s as reminded and enqueues the e-mail of each collaborator who
// wants it, unless s was declared or reminded since it was listed (another
// instance, a declaration at that moment): then it does nothing and says so.
func remind(ctx context.Context, tx bun.Tx, s dueSerie, baseURL, settingsURL string) (bool, error) {
	res, err := tx.NewRaw(`INSERT INTO deadline_reminders (event_serie_id, reminder, deadline)
SELECT s.id, ?, ?::date FROM event_series AS s WHERE s.id = ? AND NOT `+declarations.DeclaredSQL("s")+`
ON CONFLICT DO NOTHING`, SacemDeadline, s.Deadline.Format(time.DateOnly), s.ID).Exec(ctx)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	var to []recipient
	err = tx.NewRaw(`SELECT u.email, u.first_name FROM collaborators AS c JOIN users AS u ON u.id = c.user_id
WHERE c.organization_id = ? AND u.status = 'confirmed' AND u.deadline_reminders_enabled
ORDER BY u.email`, s.OrganizationID).Scan(ctx, &to)
	if err != nil {
		return false, err
	}
	deadline := time.Date(s.Deadline.Year(), s.Deadline.Month(), s.Deadline.Day(), 0, 0, 0, 0, locale.Paris)
	declarationURL := strings.TrimRight(baseURL, "/") + paths.To.Declaration(s.OrganizationID, s.ID)
	for _, r := range to {
		err := mail.Enqueue(ctx, tx, r.Email, mail.DeadlineReminder{FirstName: r.FirstName, OrganizationName: s.OrganizationName,
			SerieName: s.Name, Deadline: deadline, DeclarationURL: declarationURL, SettingsURL: settingsURL})
		if err != nil {
			return false, fmt.Errorf("e-mail %s: %w", r.Email, err)
		}
	}
	return true, nil
}
