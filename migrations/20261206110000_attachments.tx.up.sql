-- Supporting documents of a serie's declaration (decision D6 in
-- docs/decisions.md). A row is created unlinked (event_serie_id NULL) before
-- its bytes are stored, then linked to its serie once the limit of 100 files
-- per serie allows it; the attachments-purge job deletes the rows still unlinked
-- after 7 days (an upload that failed half-way, the files of a deleted serie).
CREATE TABLE attachments (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_serie_id  uuid REFERENCES event_series (id) ON DELETE SET NULL,
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    content_type    text NOT NULL,
    size            integer NOT NULL CHECK (size >= 0),
    type            text NOT NULL DEFAULT 'OTHER' CHECK (type IN ('ARTISTIC_CONTRACT', 'PERFORMED_WORK_PROGRAM', 'REVENUE_STATEMENT', 'OTHER')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
--bun:split
CREATE INDEX attachments_event_serie_id_idx ON attachments (event_serie_id);
--bun:split
-- The purge looks for the unlinked rows by age.
CREATE INDEX attachments_unlinked_idx ON attachments (created_at) WHERE event_serie_id IS NULL;
--bun:split
-- The bytes of the default storage (attachments.PGStore). Deleting an
-- attachment deletes its bytes in the same transaction.
CREATE TABLE attachment_contents (
    attachment_id  uuid PRIMARY KEY REFERENCES attachments (id) ON DELETE CASCADE,
    content        bytea NOT NULL
);
