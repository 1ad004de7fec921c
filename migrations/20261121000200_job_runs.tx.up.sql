-- One row per run of a background job (package jobs). The unique slot is what
-- makes "each scheduled slot runs exactly once" a database fact: every instance
-- fires the same schedule, and only the first to insert the slot runs it.
CREATE TABLE job_runs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_name     text NOT NULL,
    -- The schedule slot the run belongs to (its start time for a manual run).
    scheduled_at timestamptz NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    status       text NOT NULL DEFAULT 'running'
                 CHECK (status IN ('running', 'success', 'failed', 'skipped', 'abandoned')),
    error        text,
    instance_id  text NOT NULL,
    -- The PostgreSQL session holding the job's advisory lock while it runs: a
    -- running row whose session no longer holds the lock was abandoned.
    backend_pid  integer,
    duration_ms  integer,
    CONSTRAINT job_runs_slot_key UNIQUE (job_name, scheduled_at)
);
--bun:split
-- Last runs of a job, newest first (admin page).
CREATE INDEX job_runs_name_started_idx ON job_runs (job_name, started_at DESC);
--bun:split
-- Retention deletes by age across all jobs.
CREATE INDEX job_runs_started_at_idx ON job_runs (started_at);
--bun:split
-- The abandoned-runs sweep only looks at the few rows still running.
CREATE INDEX job_runs_running_idx ON job_runs (job_name) WHERE status = 'running';
