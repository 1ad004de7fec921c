-- Append-only record of security-relevant events: sign-ins, failed sign-ins,
-- impersonation start/stop and every state-changing request made while
-- impersonating (decision P9, docs/decisions.md). No UPDATE or DELETE is ever issued on it.
CREATE TABLE audit_log (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at        timestamptz NOT NULL DEFAULT now(),
    action             text NOT NULL,
    actor_user_id      uuid,
    actor_email        text,
    subject_user_id    uuid,
    subject_email      text,
    organization_id    uuid,
    request_id         text,
    ip                 text,
    method             text,
    path               text,
    details            jsonb NOT NULL DEFAULT '{}'
);
--bun:split
CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at DESC);
--bun:split
CREATE INDEX audit_log_action_idx ON audit_log (action, occurred_at DESC);
--bun:split
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, occurred_at DESC);
--bun:split
CREATE INDEX audit_log_subject_idx ON audit_log (subject_user_id, occurred_at DESC);
--bun:split
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
--bun:split
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
