-- The rows of the boards being recomputed (boards_to_compute), before they are inserted anew.
delete from model_aliases
using boards_to_compute as b
where model_aliases.board_id = b.board_id
