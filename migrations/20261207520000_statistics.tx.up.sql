-- Monthly figures of the service, recomputed by the refresh-statistics job
-- every 10 minutes: /admin/statistics and the public /impact page read these
-- few hundred rows instead of scanning declarations and events per visit.
-- metric names a figure, dimension splits it (an organism, a ticketing
-- system, "SACD|code" for failures, '' when it has none); month is the first
-- day of the month in Europe/Paris.
CREATE TABLE statistics_monthly (
    metric       text NOT NULL,
    dimension    text NOT NULL DEFAULT '',
    month        date NOT NULL,
    value        numeric NOT NULL,
    refreshed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (metric, dimension, month)
);
--bun:split
-- The refresh finds the accepted declarations and the failures by their date.
CREATE INDEX event_serie_declarations_transmitted_idx ON event_serie_declarations (transmitted_at) WHERE status = 'PROCESSED';
--bun:split
CREATE INDEX event_serie_declarations_error_idx ON event_serie_declarations (last_transmission_error_at) WHERE last_transmission_error IS NOT NULL;
