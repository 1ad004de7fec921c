DROP TABLE synchronization_run_systems;
--bun:split
DROP TABLE synchronization_runs;
--bun:split
DROP TABLE event_serie_declarations;
--bun:split
DROP TABLE events;
--bun:split
DROP TABLE event_series;
--bun:split
DROP TABLE places;
--bun:split
DROP TABLE ticketing_systems;
