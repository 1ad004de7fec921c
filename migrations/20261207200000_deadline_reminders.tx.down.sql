DROP TABLE deadline_reminders;
--bun:split
ALTER TABLE users DROP COLUMN deadline_reminders_enabled;
