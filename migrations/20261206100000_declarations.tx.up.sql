-- History of the changes made to a declaration (decision D11 in docs/decisions.md):
-- one row per saved field, with its old and new value as shown to the user,
-- who made it and, while an admin impersonated them, the admin. The names and
-- emails are copied so the history outlives deleted accounts.
CREATE TABLE declaration_changes (
    id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_serie_id      uuid NOT NULL REFERENCES event_series (id) ON DELETE CASCADE,
    -- The performance the field belongs to; NULL for a serie-level field.
    event_id            uuid REFERENCES events (id) ON DELETE SET NULL,
    field               text NOT NULL CHECK (length(field) BETWEEN 1 AND 100),
    old_value           text NOT NULL DEFAULT '',
    new_value           text NOT NULL DEFAULT '',
    user_id             uuid REFERENCES users (id) ON DELETE SET NULL,
    user_email          text NOT NULL DEFAULT '',
    impersonator_id     uuid REFERENCES users (id) ON DELETE SET NULL,
    impersonator_email  text NOT NULL DEFAULT '',
    created_at          timestamptz NOT NULL DEFAULT now()
);
--bun:split
CREATE INDEX declaration_changes_serie_idx ON declaration_changes (event_serie_id, created_at DESC);
--bun:split
-- Places are reused by name and address within an organization (decision D5, docs/decisions.md).
CREATE INDEX places_organization_name_idx ON places (organization_id, name);
--bun:split
-- The declaration page lists a serie's performances by start.
CREATE INDEX events_serie_start_idx ON events (event_serie_id, start_at);
