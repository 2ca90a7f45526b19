-- Number the boards seen for the first time (in v_board_snapshots, not yet in boards) after the
-- highest board_id so far; their names and flags are filled in by update_boards.
insert into boards (board_id, source, arena, category, style_control, title_zh, is_headline)
with loaded as (
    select distinct source, arena, category, style_control
    from v_board_snapshots
),

numbered as (
    select coalesce(max(board_id), 0) as last_id
    from boards
)

select
    numbered.last_id + row_number() over (order by source, arena, category, style_control) as board_id,
    source,
    arena,
    category,
    style_control,
    arena as title_zh,
    false as is_headline
from loaded
cross join numbered
anti join boards using (source, arena, category, style_control)
