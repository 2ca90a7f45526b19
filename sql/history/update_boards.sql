-- Each board's Chinese title, style-controlled twin and headline flag, from the checked-in
-- definitions (bound as lists by history/boards.py: $part / $name / $title_zh of
-- config/board_titles.csv, $headline_* of config/headline_boards.csv).
with titles as (
    select unnest($part) as part, unnest($name) as name, unnest($title_zh) as title_zh
),

headlines as (
    select
        unnest($headline_source) as source,
        unnest($headline_arena) as arena,
        unnest($headline_category) as category,
        unnest(cast($headline_style_control as boolean[])) as style_control
),

described as (
    select
        b.board_id,
        coalesce(arena_title.title_zh, b.arena)
        || case
            when b.category = 'overall' then ''
            else ' · ' || coalesce(category_title.title_zh, b.category)
        end
        || case when b.style_control then ' · ' || coalesce(style_title.title_zh, 'style_control') else '' end
            as title_zh,
        twin.board_id as style_control_twin_id,
        (b.source, b.arena, b.category, b.style_control) in (select * from headlines) as is_headline
    from boards as b
    left join titles as arena_title on arena_title.part = 'arena' and arena_title.name = b.arena
    left join titles as category_title on category_title.part = 'category' and category_title.name = b.category
    left join titles as style_title on style_title.part = 'style_control' and style_title.name = 'true'
    left join boards as twin
        on twin.source = b.source
        and twin.arena = b.arena
        and twin.category = b.category
        and twin.style_control <> b.style_control
)

update boards
set
    title_zh = described.title_zh,
    style_control_twin_id = described.style_control_twin_id,
    is_headline = described.is_headline
from described
where boards.board_id = described.board_id
