-- The rows of the boards being recomputed (boards_to_compute), before they are inserted anew.
delete from model_aliases
using boards_to_compute as b
where model_aliases.source = b.source
    and model_aliases.arena = b.arena
    and model_aliases.category = b.category
    and model_aliases.style_control = b.style_control
