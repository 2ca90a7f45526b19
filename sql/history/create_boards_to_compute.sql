-- The boards this recompute deletes and rebuilds (a temporary table of the transaction's
-- connection): every history step reads only these boards' rows. appended_after: null to
-- rebuild the whole board; otherwise the board's newest stored data version, when the only
-- change is new data versions after it: only the rows of versions after it are rebuilt (each
-- step still reads the earlier history it needs).
create or replace temp table boards_to_compute (
    board_id       smallint primary key,
    appended_after date
)
