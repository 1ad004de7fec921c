DROP INDEX events_serie_start_idx;
--bun:split
DROP INDEX places_organization_name_idx;
--bun:split
DROP TABLE declaration_changes;
