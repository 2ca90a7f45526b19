-- The rows of the boards being recomputed (boards_to_compute), before they are inserted anew.
delete from rank_movements
using boards_to_compute as b
where rank_movements.source = b.source
    and rank_movements.arena = b.arena
    and rank_movements.category = b.category
    and rank_movements.style_control = b.style_control
