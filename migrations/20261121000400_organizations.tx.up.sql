CREATE TABLE addresses (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    street       text NOT NULL CHECK (length(street) <= 200),
    city         text NOT NULL CHECK (length(city) <= 200),
    postal_code  text NOT NULL CHECK (length(postal_code) <= 20),
    country_code text NOT NULL DEFAULT 'FR',
    subdivision  text NOT NULL DEFAULT '' CHECK (length(subdivision) <= 100),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
--bun:split
-- One organization per SIREN (official_id) and per SIRET (official_headquarters_id).
CREATE TABLE organizations (
    id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                     text NOT NULL,
    official_id              text NOT NULL UNIQUE CHECK (official_id ~ '^\d{9}$'),
    official_headquarters_id text NOT NULL UNIQUE CHECK (official_headquarters_id ~ '^\d{14}$'),
    headquarters_address_id  uuid NOT NULL UNIQUE REFERENCES addresses (id),
    sacem_id                 text UNIQUE CHECK (sacem_id ~ '^\d{1,10}$'),
    sacd_id                  text UNIQUE CHECK (sacd_id ~ '^\d{1,10}$'),
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
);
--bun:split
CREATE TABLE collaborators (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, organization_id)
);
--bun:split
CREATE INDEX collaborators_organization_id_idx ON collaborators (organization_id);
