-- Users, their server-side sessions and single-use tokens: the foundation the
-- HTTP layer (sessions, CSRF) and the purge jobs stand on.
CREATE TABLE users (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email            text NOT NULL,
    first_name       text NOT NULL,
    last_name        text NOT NULL,
    status           text NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'confirmed', 'disabled')),
    is_admin         boolean NOT NULL DEFAULT false,
    password_hash    text,
    failed_sign_ins  integer NOT NULL DEFAULT 0,
    locked_until     timestamptz,
    last_activity_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
--bun:split
-- Emails are case-insensitive identifiers (decision P2, docs/decisions.md).
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
--bun:split
-- A session row is the server side of the session cookie; the cookie carries a
-- random token and the row is keyed by its SHA-256, so a database leak does not
-- leak usable cookies. user_id is null for anonymous sessions (CSRF, language,
-- flash messages). Deleting rows revokes sessions at once.
CREATE TABLE sessions (
    id                       text PRIMARY KEY,
    user_id                  uuid REFERENCES users (id) ON DELETE CASCADE,
    data                     jsonb NOT NULL DEFAULT '{}',
    created_at               timestamptz NOT NULL DEFAULT now(),
    last_seen_at             timestamptz NOT NULL DEFAULT now(),
    expires_at               timestamptz NOT NULL,
    impersonated_user_id     uuid REFERENCES users (id) ON DELETE CASCADE,
    impersonation_reason     text,
    impersonation_expires_at timestamptz
);
--bun:split
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
--bun:split
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);
--bun:split
CREATE TABLE verification_tokens (
    token_hash text PRIMARY KEY,
    action     text NOT NULL CHECK (action IN ('sign_up', 'reset_password')),
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
--bun:split
CREATE INDEX verification_tokens_expires_at_idx ON verification_tokens (expires_at);
--bun:split
-- Key/value storage implementing fiber.Storage for the rate limiter and CSRF
-- middlewares (e = expiry as unix seconds, 0 = never).
CREATE TABLE kv_storage (
    k text PRIMARY KEY,
    v bytea NOT NULL,
    e bigint NOT NULL DEFAULT 0
);
--bun:split
CREATE INDEX kv_storage_e_idx ON kv_storage (e) WHERE e > 0;
