-- The rows of the boards being recomputed (boards_to_compute), before they are inserted anew:
-- a board appended to (appended_after not null) loses only its rows after that data version.
delete from data_versions
using boards_to_compute as b
where data_versions.board_id = b.board_id
    and (b.appended_after is null or data_versions.snapshot_date > b.appended_after)
