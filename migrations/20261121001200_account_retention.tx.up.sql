-- Decision P14 (docs/decisions.md): the privacy policy keeps account data 2 years after the last
-- sign-in, warns by email before deleting, and signing in again keeps the
-- account. retention_warned_at is when that warning was queued (NULL: not
-- warned since the last activity). Any activity clears it, and an account is
-- only deleted once warned long enough ago, so nobody is deleted unwarned.
ALTER TABLE users ADD COLUMN retention_warned_at timestamptz;
--bun:split
-- The retention job looks for inactive non-admin accounts by their last
-- activity (or creation, for accounts never used).
CREATE INDEX users_retention_idx ON users ((coalesce(last_activity_at, created_at))) WHERE NOT is_admin;
