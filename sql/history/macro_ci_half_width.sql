-- The mean of a row's two published CI half-widths (the upstream's CIs are not always symmetric).
-- Defined once in the database, so users' ad hoc SQL can call it too.
create or replace macro ci_half_width(plus, minus) as (plus + minus) / 2.0
