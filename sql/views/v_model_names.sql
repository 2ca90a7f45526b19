-- Every published name under its identity across both sources (model_identities): the first and
-- last publish date of the name on any board of its source's arena. Filter on model_id to see
-- what one model has been called, by whom and when.
create or replace view v_model_names as
with seen as (
    select source, arena, model, min(snapshot_date) as first_seen, max(snapshot_date) as last_seen
    from v_board_entries
    group by source, arena, model
)

select
    i.model_id,
    i.source,
    i.arena,
    i.model as name,
    s.first_seen,
    s.last_seen,
    i.linked_by
from model_identities as i
join seen as s using (source, arena, model)
order by i.model_id, s.first_seen, i.source, i.arena, i.model
