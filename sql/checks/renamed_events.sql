-- Hard invariant: a `renamed` event links two different names that are both aliases of its
-- model_id on the same board.
select
    count(*) as renamed_events,
    count(*) filter (
        where e.model is null
        or e.previous_model is null
        or e.model = e.previous_model
        or not exists (
            select 1 from model_aliases as a
            where a.board_id = e.board_id and a.model = e.model and a.model_id = e.model_id
        )
        or not exists (
            select 1 from model_aliases as a
            where a.board_id = e.board_id and a.model = e.previous_model and a.model_id = e.model_id
        )
    ) as broken_links
from model_events as e
where e.event_type = 'renamed'
