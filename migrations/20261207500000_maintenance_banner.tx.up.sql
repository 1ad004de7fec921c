-- The maintenance banner an admin publishes from /admin/settings: at most one
-- row (the check on id), shown on every page until removed or until ends_at.
CREATE TABLE maintenance_banner (
    id         boolean PRIMARY KEY DEFAULT true CHECK (id),
    message    text NOT NULL CHECK (message <> '' AND char_length(message) <= 500),
    ends_at    timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid REFERENCES users (id) ON DELETE SET NULL
);
