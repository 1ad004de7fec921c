DROP INDEX sessions_impersonated_user_id_idx;
--bun:split
DROP INDEX audit_log_subject_idx;
--bun:split
CREATE INDEX audit_log_subject_idx ON audit_log (subject_user_id, occurred_at DESC);
--bun:split
DROP INDEX audit_log_actor_idx;
--bun:split
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, occurred_at DESC);
--bun:split
DROP INDEX audit_log_action_idx;
--bun:split
CREATE INDEX audit_log_action_idx ON audit_log (action, occurred_at DESC);
--bun:split
DROP INDEX users_last_activity_at_idx;
--bun:split
CREATE INDEX users_last_activity_at_idx ON users (last_activity_at, id);
--bun:split
CREATE INDEX collaborators_user_id_idx ON collaborators (user_id);
--bun:split
DROP INDEX organizations_search_name_sort_idx;
--bun:split
CREATE INDEX organizations_name_idx ON organizations (name, id);
