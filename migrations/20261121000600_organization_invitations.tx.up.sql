-- Pending invitations to join an organization (decision P6, docs/decisions.md). A row exists only
-- while the invitation is pending: accepting or revoking it deletes the row (the
-- audit log keeps the history), so one pending invitation per email and
-- organization is a plain unique index. Only the SHA-256 of the token is kept.
CREATE TABLE organization_invitations (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id    uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email              text NOT NULL CHECK (length(email) <= 320),
    token_hash         text NOT NULL UNIQUE,
    invited_by_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
    expires_at         timestamptz NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now()
);
--bun:split
CREATE UNIQUE INDEX organization_invitations_organization_email_idx ON organization_invitations (organization_id, lower(email));
--bun:split
CREATE INDEX organization_invitations_email_idx ON organization_invitations (lower(email));
