DROP TABLE transmission_attempts;
--bun:split
DROP TABLE transmissions;
