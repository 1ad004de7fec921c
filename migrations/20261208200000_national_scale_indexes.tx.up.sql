-- Indexes and planner statistics for the back office at national scale
-- (20 000 organizations, 2 000 000 performances, 300 000 declarations).

-- The statistics refresh reads, for each accepted declaration, its serie's
-- revenue and last performance: with those columns in the index it is an
-- index-only scan per serie, never a read of the events table itself. The
-- declaration page's ordering by start is served as before.
DROP INDEX events_serie_start_idx;
--bun:split
CREATE INDEX events_serie_start_idx ON events (event_serie_id, start_at) INCLUDE (end_at, ticketing_revenue_including_taxes);
--bun:split
-- An error code always comes with its date (declarations.RecordFailed sets
-- both, RecordAccepted clears both): queries test the code alone, which the
-- planner's statistics estimate right, where the two tests together would be
-- taken for independent and underestimated thirty times.
ALTER TABLE event_serie_declarations ADD CONSTRAINT event_serie_declarations_error_dated
    CHECK ((last_transmission_error IS NULL) = (last_transmission_error_at IS NULL));
--bun:split
-- /admin/declarations lists the failed declarations by last failure, then
-- id: a backward scan of this index reads one page's rows and no more.
DROP INDEX event_serie_declarations_error_idx;
--bun:split
CREATE INDEX event_serie_declarations_error_idx ON event_serie_declarations (last_transmission_error_at, id) WHERE last_transmission_error IS NOT NULL;
--bun:split
-- Sorted by organization, the list walks the organizations in name order,
-- down to their systems, series and failed declarations, until a page is
-- full: these two indexes make each step an index probe (the systems'
-- former index held only the systems not deleted, which this walk cannot
-- assume), and the failed declarations of a serie an index-only one.
DROP INDEX ticketing_systems_organization_id_idx;
--bun:split
CREATE INDEX ticketing_systems_organization_id_idx ON ticketing_systems (organization_id);
--bun:split
CREATE INDEX event_serie_declarations_failed_serie_idx ON event_serie_declarations (event_serie_id)
    INCLUDE (id, type, status, last_transmission_error, last_transmission_error_at) WHERE last_transmission_error IS NOT NULL;
--bun:split
-- Failed declarations are pending ones (an accepted row has no error): the
-- combined statistics tell the planner so, where it would otherwise multiply
-- the two rates and expect a few hundred failed declarations instead of
-- thousands, and pick the wrong plan for the sort by organization.
CREATE STATISTICS event_serie_declarations_state_stats (mcv) ON status, type, last_transmission_error FROM event_serie_declarations;
