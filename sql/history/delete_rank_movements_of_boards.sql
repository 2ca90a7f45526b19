-- The rows of the boards being recomputed (boards_to_compute), before they are inserted anew:
-- a board appended to (appended_after not null) loses only its rows after that data version.
delete from rank_movements
using boards_to_compute as b
where rank_movements.source = b.source
    and rank_movements.arena = b.arena
    and rank_movements.category = b.category
    and rank_movements.style_control = b.style_control
    and (b.appended_after is null or rank_movements.snapshot_date > b.appended_after)
