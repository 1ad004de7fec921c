-- Failed sign-ins are counted per address, whether or not an account has it, so that the lockout answers the same
-- for every address (decision P4 in docs/decisions.md). The address is kept only as the SHA-256 of its lower-cased
-- form: the table must not become a list of the addresses strangers typed.
CREATE TABLE sign_in_failures (
    email_hash   bytea PRIMARY KEY,
    failures     integer NOT NULL DEFAULT 0,
    locked_until timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
--bun:split
CREATE INDEX sign_in_failures_updated_at_idx ON sign_in_failures (updated_at);
--bun:split
INSERT INTO sign_in_failures (email_hash, failures, locked_until)
SELECT sha256(convert_to(lower(email), 'UTF8')), failed_sign_ins, locked_until
FROM users
WHERE failed_sign_ins > 0 OR locked_until > now();
--bun:split
ALTER TABLE users DROP COLUMN failed_sign_ins, DROP COLUMN locked_until;
