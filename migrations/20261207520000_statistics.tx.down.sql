DROP INDEX event_serie_declarations_error_idx;
--bun:split
DROP INDEX event_serie_declarations_transmitted_idx;
--bun:split
DROP TABLE statistics_monthly;
