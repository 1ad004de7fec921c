ALTER TABLE users DROP COLUMN proconnect_sub;
