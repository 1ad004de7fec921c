DROP INDEX users_retention_idx;
--bun:split
ALTER TABLE users DROP COLUMN retention_warned_at;
