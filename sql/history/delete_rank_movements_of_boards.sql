-- The rows of the boards being recomputed (boards_to_compute), before they are inserted anew:
-- a board appended to (appended_after not null) loses only its rows after that data version.
delete from rank_movements
using boards_to_compute as b
where rank_movements.board_id = b.board_id
    and (b.appended_after is null or rank_movements.snapshot_date > b.appended_after)
