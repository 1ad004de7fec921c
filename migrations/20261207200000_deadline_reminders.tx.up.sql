-- Declaration deadline reminders (app/reminders): a collaborator of an
-- organization is e-mailed about its ended, undeclared series 10 days before
-- the SACEM deadline, unless they switched the reminders off in their account
-- settings (this column; app/users writes it, like the rest of users).
ALTER TABLE users ADD COLUMN deadline_reminders_enabled boolean NOT NULL DEFAULT true;
--bun:split
-- One row per series and reminder sent, so the daily job sends each reminder
-- once whatever the number of runs and instances. reminder names the reminder
-- (the SACEM deadline one for now); deadline is the date it announced.
CREATE TABLE deadline_reminders (
    event_serie_id uuid NOT NULL REFERENCES event_series (id) ON DELETE CASCADE,
    reminder       text NOT NULL CHECK (reminder IN ('sacem_deadline')),
    deadline       date NOT NULL,
    sent_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_serie_id, reminder)
);
