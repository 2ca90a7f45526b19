-- The rows of the boards being recomputed (boards_to_compute), before they are inserted anew.
delete from analytics_inputs
using boards_to_compute as b
where analytics_inputs.source = b.source
    and analytics_inputs.arena = b.arena
    and analytics_inputs.category = b.category
    and analytics_inputs.style_control = b.style_control
