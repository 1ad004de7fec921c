-- Indexes matching what the admin lists actually sort and page on.

-- The organizations list sorts on search_name COLLATE "C", id (not on name).
DROP INDEX organizations_name_idx;
--bun:split
CREATE INDEX organizations_search_name_sort_idx ON organizations (search_name COLLATE "C", id);
--bun:split
-- The unique (user_id, organization_id) constraint already serves lookups by user.
DROP INDEX collaborators_user_id_idx;
--bun:split
-- The users list sorts on last_activity_at NULLS FIRST, id and the reverse
-- (DESC NULLS LAST, id DESC): one index, read forwards or backwards.
DROP INDEX users_last_activity_at_idx;
--bun:split
CREATE INDEX users_last_activity_at_idx ON users (last_activity_at NULLS FIRST, id);
--bun:split
-- The audit log filters on action, actor or subject and pages on id (keyset).
DROP INDEX audit_log_action_idx;
--bun:split
CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC);
--bun:split
DROP INDEX audit_log_actor_idx;
--bun:split
CREATE INDEX audit_log_actor_idx ON audit_log (actor_user_id, id DESC);
--bun:split
DROP INDEX audit_log_subject_idx;
--bun:split
CREATE INDEX audit_log_subject_idx ON audit_log (subject_user_id, id DESC);
--bun:split
-- Revoking a user's sessions (and the cascade when a user is deleted) looks
-- sessions up by impersonated user, which only impersonating sessions have.
CREATE INDEX sessions_impersonated_user_id_idx ON sessions (impersonated_user_id) WHERE impersonated_user_id IS NOT NULL;
