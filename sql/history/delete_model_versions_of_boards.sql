-- The rows of the boards being recomputed (boards_to_compute), before they are inserted anew:
-- a board appended to (appended_after not null) loses only its rows after that data version.
delete from model_versions
using boards_to_compute as b
where model_versions.source = b.source
    and model_versions.arena = b.arena
    and model_versions.category = b.category
    and model_versions.style_control = b.style_control
    and (b.appended_after is null or model_versions.snapshot_date > b.appended_after)
