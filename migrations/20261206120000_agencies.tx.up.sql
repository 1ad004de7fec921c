-- Regional agencies of the organisms, loaded by the operator with
-- `assistant-declaration agencies import sacem|sacd FILE` (the lists are
-- private). codes holds what routes a place's postal code to the agency:
-- exact 5-digit postal codes for SACEM, 2- to 5-digit postal code prefixes for
-- SACD (decision D4 in docs/decisions.md).
CREATE TABLE agencies (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organism   text NOT NULL CHECK (organism IN ('SACEM', 'SACD')),
    email      text NOT NULL CHECK (email = lower(email) AND email <> ''),
    codes      text[] NOT NULL CHECK (cardinality(codes) > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organism, email)
);
--bun:split
CREATE INDEX agencies_codes_idx ON agencies USING gin (codes);
