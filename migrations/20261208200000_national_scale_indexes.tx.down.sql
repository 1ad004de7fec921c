DROP STATISTICS event_serie_declarations_state_stats;
--bun:split
DROP INDEX event_serie_declarations_failed_serie_idx;
--bun:split
DROP INDEX ticketing_systems_organization_id_idx;
--bun:split
CREATE INDEX ticketing_systems_organization_id_idx ON ticketing_systems (organization_id) WHERE deleted_at IS NULL;
--bun:split
DROP INDEX event_serie_declarations_error_idx;
--bun:split
CREATE INDEX event_serie_declarations_error_idx ON event_serie_declarations (last_transmission_error_at) WHERE last_transmission_error IS NOT NULL;
--bun:split
ALTER TABLE event_serie_declarations DROP CONSTRAINT event_serie_declarations_error_dated;
--bun:split
DROP INDEX events_serie_start_idx;
--bun:split
CREATE INDEX events_serie_start_idx ON events (event_serie_id, start_at);
