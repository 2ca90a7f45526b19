-- The stored aliases of the boards to be appended to (boards_to_compute.appended_after), before
-- they are replaced: refresh_analytics compares them with the rename rule's new ones.
select a.source, a.arena, a.category, a.style_control, a.model, a.model_id, a.valid_from, a.valid_to, a.method
from model_aliases as a
join boards_to_compute as b using (source, arena, category, style_control)
where b.appended_after is not null
