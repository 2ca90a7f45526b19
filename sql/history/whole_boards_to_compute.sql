-- Boards that were to be appended to but whose stored rows would change (other identities): they
-- are recomputed whole.
update boards_to_compute
set appended_after = null
where list_contains(cast($board_id as smallint[]), board_id)
