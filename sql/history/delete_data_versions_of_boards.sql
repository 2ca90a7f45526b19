-- The rows of the boards being recomputed (boards_to_compute), before they are inserted anew:
-- a board appended to (appended_after not null) loses only its rows after that data version.
delete from data_versions
using boards_to_compute as b
where data_versions.source = b.source
    and data_versions.arena = b.arena
    and data_versions.category = b.category
    and data_versions.style_control = b.style_control
    and (b.appended_after is null or data_versions.snapshot_date > b.appended_after)
