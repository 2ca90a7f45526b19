-- The rows of the boards being recomputed (boards_to_compute), before they are inserted anew.
delete from analytics_inputs
using boards_to_compute as b
where analytics_inputs.board_id = b.board_id
