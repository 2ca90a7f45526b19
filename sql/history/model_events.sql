-- Events between consecutive data versions of each arena. A repeated release is not a data
-- version, so it yields no event. Renames keep the model_id, so they are neither drops nor
-- new models, and a renamed leader is not a new leader.
insert into model_events by name
with current_models as (
    select v.arena, v.snapshot_date, m.model_id, m.model, m.score, m.ci, m.votes
    from data_versions as v
    join model_versions as m on m.arena = v.arena and m.snapshot_date = v.snapshot_date
    where v.previous_date is not null
),

previous_models as (
    select v.arena, v.snapshot_date, m.model_id, m.model, m.score, m.votes
    from data_versions as v
    join model_versions as m on m.arena = v.arena and m.snapshot_date = v.previous_date
),

transitions as (
    select
        coalesce(c.arena, p.arena) as arena,
        coalesce(c.snapshot_date, p.snapshot_date) as snapshot_date,
        coalesce(c.model_id, p.model_id) as model_id,
        c.model,
        p.model as previous_model,
        c.score,
        c.ci,
        c.votes,
        p.votes as previous_votes
    from current_models as c
    full join previous_models as p
        on p.arena = c.arena and p.snapshot_date = c.snapshot_date and p.model_id = c.model_id
),

history as (
    select
        t.*,
        (select max(earlier.snapshot_date) from model_versions as earlier
         where earlier.arena = t.arena and earlier.model_id = t.model_id
           and earlier.snapshot_date < t.snapshot_date) as last_listed
    from transitions as t
    where t.previous_model is null
),

tops as (
    select arena, snapshot_date, model_id, model, score
    from model_versions
    -- Top by score; a tie goes to the model with more votes, then to the id, to stay stable.
    qualify row_number() over (
        partition by arena, snapshot_date order by score desc, votes desc, model_id
    ) = 1
),

leaders as (
    select
        *,
        lag(model_id) over (partition by arena order by snapshot_date) as previous_leader_id,
        lag(model) over (partition by arena order by snapshot_date) as previous_leader
    from tops
)

select arena, snapshot_date, 'new_model' as event_type, model_id, model, null as previous_model,
       format('score {:g} ± {:g}, {} votes', score, ci, votes) as details
from history
where last_listed is null

union all

select arena, snapshot_date, 'returned', model_id, model, null,
       format('last listed {}', strftime(last_listed, '%Y-%m-%d'))
from history
where last_listed is not null

union all

select arena, snapshot_date, 'dropped', model_id, previous_model, null,
       format('{} votes when last listed', previous_votes)
from transitions
where model is null

union all

select t.arena, t.snapshot_date, 'renamed', t.model_id, t.model, t.previous_model, a.method
from transitions as t
left join model_aliases as a
    on a.arena = t.arena and a.model = t.model and a.valid_from = t.snapshot_date
where t.model is not null and t.previous_model is not null and t.model <> t.previous_model

union all

select arena, snapshot_date, 'new_leader', model_id, model, previous_leader,
       format('score {:g}', score)
from leaders
where previous_leader_id is not null and previous_leader_id <> model_id

union all

select arena, snapshot_date, 'method_change', null, null, null, method_change_reason
from data_versions
where is_method_change
