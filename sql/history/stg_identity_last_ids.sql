-- The identities of the names listed in the newest stored data version of each board to be
-- appended to (boards_to_compute.appended_after): where identity.extend_aliases starts its walk.
select m.board_id, m.model, m.model_id
from model_versions as m
join boards_to_compute as b
    on b.board_id = m.board_id
    and m.snapshot_date = b.appended_after
