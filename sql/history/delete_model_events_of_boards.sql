-- The rows of the boards being recomputed (boards_to_compute), before they are inserted anew.
delete from model_events
using boards_to_compute as b
where model_events.source = b.source
    and model_events.arena = b.arena
    and model_events.category = b.category
    and model_events.style_control = b.style_control
