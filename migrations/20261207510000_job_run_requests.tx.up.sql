-- Runs of a scheduled job asked for outside its schedule ("Exécuter
-- maintenant" in /admin/jobs). The job-run-requests poller of every instance
-- claims them with FOR UPDATE SKIP LOCKED, so each request is run once; the
-- run's job_runs slot is the request's time, unique per job too.
CREATE TABLE job_run_requests (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_name     text NOT NULL CHECK (job_name <> ''),
    requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    requested_by uuid REFERENCES users (id) ON DELETE SET NULL,
    claimed_at   timestamptz,
    claimed_by   text
);
--bun:split
CREATE INDEX job_run_requests_pending_idx ON job_run_requests (id) WHERE claimed_at IS NULL;
