-- Ticketing systems connected by an organization (rule S6, docs/decisions.md). Credentials are one
-- AES-256-GCM sealed value (decision T10): never readable from the database alone. A soft-deleted
-- system keeps its series (rule S7, docs/decisions.md); its credentials are erased.
CREATE TABLE ticketing_systems (
    id                              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id                 uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name                            text NOT NULL CHECK (name IN ('MANUAL', 'BILLETWEB', 'HELLOASSO', 'MAPADO', 'SHOTGUN', 'SOTICKET', 'SUPERSONIKS')),
    credentials                     bytea,
    last_synchronized_at            timestamptz,
    -- Operator-only: moves the next synchronization window earlier, reset after a success.
    force_next_synchronization_from timestamptz,
    -- Last remote failure (decision T3, docs/decisions.md), cleared by a successful synchronization.
    last_error_code                 text,
    last_error_http_status          integer,
    last_error_excerpt              text CHECK (length(last_error_excerpt) <= 300),
    last_error_at                   timestamptz,
    deleted_at                      timestamptz,
    created_at                      timestamptz NOT NULL DEFAULT now(),
    updated_at                      timestamptz NOT NULL DEFAULT now(),
    CHECK (name = 'MANUAL' OR deleted_at IS NOT NULL OR credentials IS NOT NULL)
);
--bun:split
CREATE INDEX ticketing_systems_organization_id_idx ON ticketing_systems (organization_id) WHERE deleted_at IS NULL;
--bun:split
-- At most one live MANUAL system per organization (rule S13, docs/decisions.md).
CREATE UNIQUE INDEX ticketing_systems_one_manual_idx ON ticketing_systems (organization_id) WHERE name = 'MANUAL' AND deleted_at IS NULL;
--bun:split
CREATE INDEX ticketing_systems_in_error_idx ON ticketing_systems (last_error_at) WHERE last_error_code IS NOT NULL AND deleted_at IS NULL;
--bun:split
-- Places are scoped to the organization (decision D5, docs/decisions.md).
CREATE TABLE places (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address_id      uuid NOT NULL UNIQUE REFERENCES addresses (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
--bun:split
CREATE INDEX places_organization_id_idx ON places (organization_id);
--bun:split
-- A show (rule R1, docs/decisions.md). Money is numeric(10,2), rates numeric(5,4) fractions.
CREATE TABLE event_series (
    id                                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    ticketing_system_id                         uuid NOT NULL REFERENCES ticketing_systems (id) ON DELETE CASCADE,
    internal_ticketing_system_id                text NOT NULL,
    name                                        text NOT NULL,
    producer_official_id                        text,
    producer_name                               text,
    performance_type                            text CHECK (performance_type IN (
        'OUTDOOR_PERFORMANCE', 'CABARET_AND_MUSIC_HALL', 'CIRCUS_AND_MAGIC', 'MUSICAL_THEATRE', 'DANCE',
        'COMEDY_AND_STAND_UP', 'PUPPETRY', 'CLASSICAL_AND_OPERA_AND_CONTEMPORARY_MUSIC', 'POPULAR_AND_JAZZ_MUSIC',
        'WORLD_AND_TRADITIONAL_MUSIC_AND_DANCE', 'HISTORICAL_REENACTMENTS_AND_HERITAGE_SOUND_AND_LIGHT_SHOWS',
        'LIVE_PERFORMANCE_WITHOUT_DOMINANT_DISCIPLINE', 'ICE_SHOWS_AND_THEME_PARKS_AND_RELATED_PERFORMANCES',
        'THEATRE_AND_STORYTELLING_AND_MIME')),
    expected_declaration_types                  text[] NOT NULL DEFAULT '{}' CHECK (expected_declaration_types <@ ARRAY['SACEM', 'SACD']),
    last_manual_update_at                       timestamptz,
    place_id                                    uuid REFERENCES places (id) ON DELETE SET NULL,
    place_capacity                              integer CHECK (place_capacity >= 0),
    audience                                    text NOT NULL DEFAULT 'ALL' CHECK (audience IN ('ALL', 'YOUNG', 'SCHOOL')),
    ticketing_revenue_tax_rate                  numeric(5,4) NOT NULL DEFAULT 0.055 CHECK (ticketing_revenue_tax_rate >= 0),
    expenses_including_taxes                    numeric(10,2) NOT NULL DEFAULT 0,
    expenses_excluding_taxes                    numeric(10,2) NOT NULL DEFAULT 0,
    expenses_tax_rate                           numeric(10,2),
    introduction_fees_expenses_including_taxes  numeric(10,2) NOT NULL DEFAULT 0,
    introduction_fees_expenses_excluding_taxes  numeric(10,2) NOT NULL DEFAULT 0,
    introduction_fees_expenses_tax_rate         numeric(10,2),
    circus_specific_expenses_including_taxes    numeric(10,2),
    circus_specific_expenses_excluding_taxes    numeric(10,2),
    circus_specific_expenses_tax_rate           numeric(10,2),
    created_at                                  timestamptz NOT NULL DEFAULT now(),
    updated_at                                  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (ticketing_system_id, internal_ticketing_system_id)
);
--bun:split
CREATE INDEX event_series_internal_id_idx ON event_series (internal_ticketing_system_id);
--bun:split
CREATE INDEX event_series_place_id_idx ON event_series (place_id);
--bun:split
-- One performance (rule R1, docs/decisions.md).
CREATE TABLE events (
    id                                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_serie_id                           uuid NOT NULL REFERENCES event_series (id) ON DELETE CASCADE,
    internal_ticketing_system_id             text NOT NULL,
    start_at                                 timestamptz NOT NULL,
    end_at                                   timestamptz,
    ticketing_revenue_including_taxes        numeric(10,2) NOT NULL DEFAULT 0 CHECK (ticketing_revenue_including_taxes >= 0),
    ticketing_revenue_excluding_taxes        numeric(10,2) NOT NULL DEFAULT 0 CHECK (ticketing_revenue_excluding_taxes >= 0),
    ticketing_revenue_defined_tax_rate       boolean NOT NULL DEFAULT false,
    ticketing_revenue_tax_rate_override      numeric(5,4) CHECK (ticketing_revenue_tax_rate_override >= 0),
    consumptions_revenue_including_taxes     numeric(10,2) NOT NULL DEFAULT 0,
    consumptions_revenue_excluding_taxes     numeric(10,2) NOT NULL DEFAULT 0,
    consumptions_revenue_tax_rate            numeric(10,2),
    catering_revenue_including_taxes         numeric(10,2) NOT NULL DEFAULT 0,
    catering_revenue_excluding_taxes         numeric(10,2) NOT NULL DEFAULT 0,
    catering_revenue_tax_rate                numeric(10,2),
    program_sales_revenue_including_taxes    numeric(10,2) NOT NULL DEFAULT 0,
    program_sales_revenue_excluding_taxes    numeric(10,2) NOT NULL DEFAULT 0,
    program_sales_revenue_tax_rate           numeric(10,2),
    other_revenue_including_taxes            numeric(10,2) NOT NULL DEFAULT 0,
    other_revenue_excluding_taxes            numeric(10,2) NOT NULL DEFAULT 0,
    other_revenue_tax_rate                   numeric(10,2),
    free_tickets                             integer NOT NULL DEFAULT 0 CHECK (free_tickets >= 0),
    paid_tickets                             integer NOT NULL DEFAULT 0 CHECK (paid_tickets >= 0),
    -- Set when the user changed the ticketing data by hand: the synchronization stops
    -- overwriting the event (rule S12, docs/decisions.md).
    last_manual_ticketing_data_update_at     timestamptz,
    -- Set when the ticketing system no longer lists a hand-edited event (decision T4, docs/decisions.md): it is
    -- kept and flagged instead of deleted.
    removed_from_ticketing_system_at         timestamptz,
    place_override_id                        uuid REFERENCES places (id) ON DELETE SET NULL,
    place_capacity_override                  integer CHECK (place_capacity_override >= 0),
    audience_override                        text CHECK (audience_override IN ('ALL', 'YOUNG', 'SCHOOL')),
    created_at                               timestamptz NOT NULL DEFAULT now(),
    updated_at                               timestamptz NOT NULL DEFAULT now(),
    CHECK (end_at IS NULL OR end_at >= start_at),
    UNIQUE (event_serie_id, internal_ticketing_system_id)
);
--bun:split
CREATE INDEX events_place_override_id_idx ON events (place_override_id);
--bun:split
-- One row per serie × organism; a serie with any row is frozen for the synchronization.
CREATE TABLE event_serie_declarations (
    id                          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_serie_id              uuid NOT NULL REFERENCES event_series (id) ON DELETE CASCADE,
    type                        text NOT NULL CHECK (type IN ('SACEM', 'SACD')),
    status                      text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'PROCESSED', 'CANCELED')),
    transmitted_at              timestamptz,
    last_transmission_error     text,
    last_transmission_error_at  timestamptz,
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_serie_id, type)
);
--bun:split
-- Background synchronizations (decision T9, docs/decisions.md): requested_by is null for the nightly job.
CREATE TABLE synchronization_runs (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    requested_by    uuid REFERENCES users (id) ON DELETE SET NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
    error_code      text,
    -- The nightly job spreads its runs over the night; a worker claims a run from then on.
    not_before      timestamptz NOT NULL DEFAULT now(),
    started_at      timestamptz,
    finished_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- Touched while running: a run whose worker died stops being refreshed and is failed.
    updated_at      timestamptz NOT NULL DEFAULT now()
);
--bun:split
-- Two clicks never start two runs: one pending or running run per organization.
CREATE UNIQUE INDEX synchronization_runs_one_active_idx ON synchronization_runs (organization_id) WHERE status IN ('pending', 'running');
--bun:split
CREATE INDEX synchronization_runs_pending_idx ON synchronization_runs (not_before) WHERE status = 'pending';
--bun:split
CREATE INDEX synchronization_runs_organization_idx ON synchronization_runs (organization_id, created_at DESC);
--bun:split
-- Per-system progress of a run.
CREATE TABLE synchronization_run_systems (
    run_id              uuid NOT NULL REFERENCES synchronization_runs (id) ON DELETE CASCADE,
    ticketing_system_id uuid NOT NULL REFERENCES ticketing_systems (id) ON DELETE CASCADE,
    status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'succeeded', 'failed')),
    error_code          text,
    series_count        integer NOT NULL DEFAULT 0,
    started_at          timestamptz,
    finished_at         timestamptz,
    PRIMARY KEY (run_id, ticketing_system_id)
);
--bun:split
CREATE INDEX synchronization_run_systems_system_idx ON synchronization_run_systems (ticketing_system_id);
