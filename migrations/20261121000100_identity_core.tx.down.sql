DROP TABLE kv_storage;
--bun:split
DROP TABLE verification_tokens;
--bun:split
DROP TABLE sessions;
--bun:split
DROP TABLE users;
