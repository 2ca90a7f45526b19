-- Boards that were to be appended to but whose stored rows would change (other identities): they
-- are recomputed whole. One list per board column.
update boards_to_compute as b
set appended_after = null
from (
    select
        unnest($source) as source,
        unnest($arena) as arena,
        unnest($category) as category,
        unnest(cast($style_control as boolean[])) as style_control
) as whole
where b.source = whole.source
    and b.arena = whole.arena
    and b.category = whole.category
    and b.style_control = whole.style_control
