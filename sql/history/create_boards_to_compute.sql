-- The boards this recompute deletes and rebuilds (a temporary table of the transaction's
-- connection): every history step reads only these boards' rows.
create or replace temp table boards_to_compute (
    source        varchar not null,
    arena         varchar not null,
    category      varchar not null,
    style_control boolean not null
)
