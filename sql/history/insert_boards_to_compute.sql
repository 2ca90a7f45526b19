-- The boards to recompute, one list per column.
insert into boards_to_compute (board_id, appended_after)
select
    unnest(cast($board_id as smallint[])),
    unnest(cast($appended_after as date[]))
