DROP TABLE audit_log;
--bun:split
DROP FUNCTION audit_log_append_only();
