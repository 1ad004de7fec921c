ALTER TABLE users ADD COLUMN failed_sign_ins integer NOT NULL DEFAULT 0, ADD COLUMN locked_until timestamptz;
--bun:split
UPDATE users SET failed_sign_ins = f.failures, locked_until = f.locked_until
FROM sign_in_failures f
WHERE f.email_hash = sha256(convert_to(lower(users.email), 'UTF8'));
--bun:split
DROP TABLE sign_in_failures;
