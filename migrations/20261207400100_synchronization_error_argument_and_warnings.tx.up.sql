-- A failure's message may name a value (the refused currency, the foreign tax's country): kept next to its code
-- on the system, the run and the run's system (decision T3 in docs/decisions.md). What a connector left out of a
-- synchronization without failing (tickets of a Mapado date without start, decision T7) is counted by reason on the
-- run's system, so that the user and the admins see it.
ALTER TABLE ticketing_systems ADD COLUMN last_error_argument text CHECK (length(last_error_argument) <= 100);
--bun:split
ALTER TABLE synchronization_runs ADD COLUMN error_argument text CHECK (length(error_argument) <= 100);
--bun:split
ALTER TABLE synchronization_run_systems
    ADD COLUMN error_argument text CHECK (length(error_argument) <= 100),
    ADD COLUMN warnings jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(warnings) = 'object');
