-- Every alias of identity.build_aliases in one statement (analytics.refresh_analytics binds one
-- list per column, in the same order): a row-by-row executemany took over a second for the
-- ~2,400 aliases of a ten-year history, this takes milliseconds.
insert into model_aliases (source, arena, category, style_control, model, model_id, valid_from, valid_to, method)
select
    unnest($source),
    unnest($arena),
    unnest($category),
    unnest(cast($style_control as boolean[])),
    unnest($model),
    unnest($model_id),
    unnest(cast($valid_from as date[])),
    unnest(cast($valid_to as date[])),
    unnest($method)
