-- The stored aliases of the boards to be appended to (boards_to_compute.appended_after), before
-- they are replaced: refresh_analytics compares them with the rename rule's new ones.
select a.board_id, a.model, a.model_id, a.valid_from, a.valid_to, a.method
from model_aliases as a
join boards_to_compute as b using (board_id)
where b.appended_after is not null
