-- Every row of cross_source.build_identities in one statement (one list per column).
insert into model_identities (model_id, source, arena, model, linked_by)
select
    unnest($model_id),
    unnest($source),
    unnest($arena),
    unnest($model),
    unnest($linked_by)
