-- Transmissions of declarations to the organisms (package transmissions,
-- decisions D2, D3 and D7 in docs/decisions.md). "Déclarer" or "Réessayer"
-- queues one transmission of a serie; a worker claims it, attempts each chosen
-- organism not yet accepted (SACD first) and records every step it tries as a
-- row of transmission_attempts. A serie has at most one active transmission
-- (the partial unique index): a double click, two tabs or two instances find
-- the active one instead of queueing a second.
CREATE TABLE transmissions (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_serie_id     uuid NOT NULL REFERENCES event_series (id) ON DELETE CASCADE,
    organization_id    uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    organisms          text[] NOT NULL CHECK (cardinality(organisms) > 0),
    -- Who asked: the declarant (signatory of the PDF, Reply-To of the
    -- e-mails, recipient of the receipt), and the admin when an admin relaunched it.
    requested_by       uuid REFERENCES users (id) ON DELETE SET NULL,
    requested_by_email text NOT NULL,
    admin_id           uuid REFERENCES users (id) ON DELETE SET NULL,
    admin_email        text NOT NULL DEFAULT '',
    -- pending: queued; running: a worker is attempting the organisms;
    -- waiting: e-mails are in the outbox, not yet accepted by SMTP; finished.
    status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'waiting', 'finished')),
    created_at         timestamptz NOT NULL DEFAULT now(),
    started_at         timestamptz,
    finished_at        timestamptz,
    updated_at         timestamptz NOT NULL DEFAULT now()
);
--bun:split
CREATE UNIQUE INDEX transmissions_one_active_per_serie ON transmissions (event_serie_id)
    WHERE status IN ('pending', 'running', 'waiting');
--bun:split
CREATE INDEX transmissions_serie_created_idx ON transmissions (event_serie_id, created_at DESC);
--bun:split
CREATE INDEX transmissions_active_idx ON transmissions (status, updated_at) WHERE status <> 'finished';
--bun:split
-- One row per step tried: SACD "declare" (the web service) and "attachments"
-- (the ARTISTIC_CONTRACT/OTHER documents e-mailed to the SACD agency), SACEM
-- "email" (the PDF and documents e-mailed to the SACEM agency). A step that
-- succeeded for a serie is never tried again (decision D3). outcome "waiting":
-- its e-mails (outbox_ids) are queued, not yet accepted by SMTP.
CREATE TABLE transmission_attempts (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    transmission_id  uuid NOT NULL REFERENCES transmissions (id) ON DELETE CASCADE,
    event_serie_id   uuid NOT NULL REFERENCES event_series (id) ON DELETE CASCADE,
    organism         text NOT NULL CHECK (organism IN ('SACEM', 'SACD')),
    step             text NOT NULL CHECK (step IN ('declare', 'attachments', 'email')),
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    outcome          text NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'waiting', 'succeeded', 'failed')),
    error_code       text NOT NULL DEFAULT '',
    http_status      integer NOT NULL DEFAULT 0,
    excerpt          text NOT NULL DEFAULT '',
    -- SACD's own error code (its JSON "Error.Code"), when it sent one.
    remote_code      text NOT NULL DEFAULT '',
    -- SACD's refusals: [{"reference","field","message"}] of the KO representations.
    rejections       jsonb NOT NULL DEFAULT '[]',
    -- SACD's receipt, kept for the audit.
    dec_ref          text NOT NULL DEFAULT '',
    dec_nb           integer NOT NULL DEFAULT 0,
    sacd_date        text NOT NULL DEFAULT '',
    xml_sent         text NOT NULL DEFAULT '',
    answer           text NOT NULL DEFAULT '',
    -- The e-mails of the step, in the outbox (package mail), and the agency.
    outbox_ids       uuid[] NOT NULL DEFAULT '{}',
    recipient        text NOT NULL DEFAULT '',
    -- The SACEM PDF sent, served as the copy once SACEM accepted it.
    document         bytea
);
--bun:split
CREATE INDEX transmission_attempts_transmission_idx ON transmission_attempts (transmission_id, started_at);
--bun:split
CREATE INDEX transmission_attempts_serie_idx ON transmission_attempts (event_serie_id, organism, step, outcome);
