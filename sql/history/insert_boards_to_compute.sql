-- The boards to recompute, one list per column.
insert into boards_to_compute (source, arena, category, style_control, appended_after)
select
    unnest($source),
    unnest($arena),
    unnest($category),
    unnest(cast($style_control as boolean[])),
    unnest(cast($appended_after as date[]))
