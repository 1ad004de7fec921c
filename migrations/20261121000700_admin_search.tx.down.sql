ALTER TABLE users DROP COLUMN status_before_disable, DROP COLUMN disabled_at;
--bun:split
DROP INDEX audit_log_subject_email_idx;
--bun:split
DROP INDEX audit_log_actor_email_idx;
--bun:split
DROP INDEX users_last_activity_at_idx;
--bun:split
DROP INDEX users_created_at_idx;
--bun:split
DROP INDEX users_search_text_idx;
--bun:split
ALTER TABLE users DROP COLUMN search_text;
--bun:split
DROP INDEX collaborators_user_id_idx;
--bun:split
DROP INDEX organizations_created_at_idx;
--bun:split
DROP INDEX organizations_name_idx;
--bun:split
DROP INDEX organizations_search_name_idx;
--bun:split
DROP INDEX organizations_search_vector_idx;
--bun:split
ALTER TABLE organizations DROP COLUMN search_vector, DROP COLUMN search_name;
--bun:split
DROP FUNCTION immutable_unaccent(text);
