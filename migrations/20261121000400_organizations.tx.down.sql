DROP TABLE collaborators;
--bun:split
DROP TABLE organizations;
--bun:split
DROP TABLE addresses;
