-- Outbox of every email the platform sends (decision P12, docs/decisions.md). A row is written in
-- the same transaction as the action that causes it, so an email exists if and
-- only if that action committed; the mail job sends it later with the primary
-- SMTP then the fallback, and retries with backoff. Rows are never deleted by
-- the sender: sent_at marks delivery, so nothing is lost while SMTP is down.
CREATE TABLE email_outbox (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    template        text NOT NULL DEFAULT '',
    from_address    text,
    to_addresses    text[] NOT NULL CHECK (cardinality(to_addresses) > 0),
    reply_to        text,
    subject         text NOT NULL,
    text_body       text NOT NULL,
    html_body       text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    sent_at         timestamptz,
    sent_via        text CHECK (sent_via IN ('primary', 'fallback')),
    -- true when every recipient was on a MAILER_DOMAINS_TO_CATCH domain: the
    -- row counts as handled although no SMTP server ever saw it.
    caught          boolean NOT NULL DEFAULT false
);
--bun:split
-- The sender's query: unsent rows whose retry time has come, oldest first.
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE sent_at IS NULL;
--bun:split
-- Attachments (the declaration PDFs and supporting documents sent to the
-- organisms) live in their own table so the sender's scan never reads their bytes.
CREATE TABLE email_outbox_attachments (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email_id     uuid NOT NULL REFERENCES email_outbox (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    filename     text NOT NULL,
    content_type text NOT NULL,
    content      bytea NOT NULL,
    UNIQUE (email_id, position)
);
