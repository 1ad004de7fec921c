ALTER TABLE synchronization_run_systems DROP COLUMN warnings, DROP COLUMN error_argument;
--bun:split
ALTER TABLE synchronization_runs DROP COLUMN error_argument;
--bun:split
ALTER TABLE ticketing_systems DROP COLUMN last_error_argument;
