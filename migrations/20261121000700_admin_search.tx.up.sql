-- Admin back office (decision P8, docs/decisions.md): accent-insensitive search over organizations
-- and users, sorts and filters that stay fast with tens of thousands of rows,
-- and what disabling a user needs to be undone exactly (decision P7, docs/decisions.md).

-- unaccent() is only STABLE (it depends on the search_path), so it cannot back
-- an index; this wrapper names its dictionary explicitly and is safe to mark
-- IMMUTABLE. Every search expression below goes through it so queries match
-- the indexes word for word.
CREATE FUNCTION immutable_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
--bun:split
-- Search columns are generated once per write rather than computed per row
-- at query time: a trigram LIKE always rechecks its candidate rows, and
-- unaccent() on each of them would cost more than the whole query.
ALTER TABLE organizations
    ADD COLUMN search_name text GENERATED ALWAYS AS (immutable_unaccent(lower(name))) STORED,
    ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', immutable_unaccent(lower(name)))) STORED;
--bun:split
-- Whole-word search ("theatre soleil" finds "Théâtre du Soleil").
CREATE INDEX organizations_search_vector_idx ON organizations USING gin (search_vector);
--bun:split
-- Partial names ("thea" finds "Théâtre").
CREATE INDEX organizations_search_name_idx ON organizations USING gin (search_name gin_trgm_ops);
--bun:split
CREATE INDEX organizations_name_idx ON organizations (name, id);
--bun:split
CREATE INDEX organizations_created_at_idx ON organizations (created_at, id);
--bun:split
-- Collaborators of a user (the organizations column of the users list).
CREATE INDEX collaborators_user_id_idx ON collaborators (user_id);
--bun:split
ALTER TABLE users
    ADD COLUMN search_text text GENERATED ALWAYS AS (immutable_unaccent(lower(email || ' ' || first_name || ' ' || last_name))) STORED;
--bun:split
CREATE INDEX users_search_text_idx ON users USING gin (search_text gin_trgm_ops);
--bun:split
CREATE INDEX users_created_at_idx ON users (created_at, id);
--bun:split
CREATE INDEX users_last_activity_at_idx ON users (last_activity_at, id);
--bun:split
-- Audit log filters by email (actor or subject), newest first.
CREATE INDEX audit_log_actor_email_idx ON audit_log (lower(actor_email), id DESC);
--bun:split
CREATE INDEX audit_log_subject_email_idx ON audit_log (lower(subject_email), id DESC);
--bun:split
-- Re-enabling a user gives back the status they had (a never-confirmed account
-- must not become confirmed because an admin disabled then re-enabled it).
ALTER TABLE users
    ADD COLUMN disabled_at timestamptz,
    ADD COLUMN status_before_disable text CHECK (status_before_disable IN ('registered', 'confirmed'));
