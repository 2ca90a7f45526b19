-- The boards to recompute, one list per column.
insert into boards_to_compute (source, arena, category, style_control)
select unnest($source), unnest($arena), unnest($category), unnest(cast($style_control as boolean[]))
