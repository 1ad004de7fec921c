-- The ProConnect subject (the id_token's "sub") an account signed in with.
-- It is what identifies the person at ProConnect: once linked, their account
-- is found by it first, so an address changed at their identity provider
-- still opens the same account.
ALTER TABLE users ADD COLUMN proconnect_sub text UNIQUE;
