-- Every alias of identity.build_aliases in one statement (analytics.refresh_analytics binds one
-- list per column, in the same order): a row-by-row executemany took over a second for the
-- ~2,400 aliases of a ten-year history, this takes milliseconds. The board's four columns come
-- from boards.
insert into model_aliases by name
with aliases as (
    select
        unnest(cast($board_id as smallint[])) as board_id,
        unnest($model) as model,
        unnest($model_id) as model_id,
        unnest(cast($valid_from as date[])) as valid_from,
        unnest(cast($valid_to as date[])) as valid_to,
        unnest($method) as method
)

select b.board_id, b.source, b.arena, b.category, b.style_control, a.model, a.model_id, a.valid_from, a.valid_to, a.method
from aliases as a
join boards as b using (board_id)
