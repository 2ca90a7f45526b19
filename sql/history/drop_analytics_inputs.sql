-- An analytics_inputs table of an older release (one row for all arenas): dropped, then created
-- in the per-board shape; every board is recomputed.
drop table if exists analytics_inputs
