-- Events between consecutive data versions of each board (source, arena, category,
-- style_control), for the boards in boards_to_compute. A repeated release is not a data
-- version, so it yields no event. Renames keep the model_id, so they are neither drops nor
-- new models, and a renamed leader is not a new leader. Models that leave or come back as part
-- of a listing change (data_versions.method_changes) are `delisted` / `relisted`, not news.
-- Of an appended board (boards_to_compute.appended_after), only the events of its versions after
-- appended_after, read against the whole history before them (last listings, the last leader).
insert into model_events by name
with board_versions as (
    select *
    from data_versions
    join boards_to_compute using (board_id)
),

-- The versions whose events this run inserts.
new_versions as (
    select * from board_versions
    where appended_after is null or snapshot_date > appended_after
),

-- The boards' rows: each join below reads only them, never the other boards' (inlined, not a copy).
board_rows as not materialized (
    select *
    from model_versions
    semi join boards_to_compute using (board_id)
),

current_models as (
    select v.board_id, v.snapshot_date,
           m.model_id, m.model, m.score, m.ci, m.votes
    from new_versions as v
    join board_rows as m using (board_id, snapshot_date)
    where v.previous_date is not null
),

previous_models as (
    select v.board_id, v.snapshot_date,
           m.model_id, m.model, m.score, m.votes
    from new_versions as v
    join board_rows as m
        on m.board_id = v.board_id
        and m.snapshot_date = v.previous_date
),

transitions as (
    select
        coalesce(c.board_id, p.board_id) as board_id,
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
        on p.board_id = c.board_id
        and p.snapshot_date = c.snapshot_date
        and p.model_id = c.model_id
),

with_listing as (
    select
        t.*,
        v.previous_date,
        list_contains(v.method_changes, 'listing_hidden') as mass_hidden,
        list_contains(v.method_changes, 'listing_reshown') as mass_reshown
    from transitions as t
    join new_versions as v using (board_id, snapshot_date)
),

appeared as (
    select
        t.*,
        (select max(earlier.snapshot_date) from board_rows as earlier
         where earlier.board_id = t.board_id and earlier.model_id = t.model_id
           and earlier.snapshot_date < t.snapshot_date) as last_listed
    from with_listing as t
    where t.previous_model is null
),

-- The leader is the sole holder of rank 1 (by rank upper bound); while several share rank 1
-- there is none, and the leader changes only when a different model becomes the sole holder.
-- A version without bounds (rank_ub null: the dataset's Elo era) has no leader either.
tops as (
    select
        v.board_id,
        v.snapshot_date,
        case when count(m.model_id) = 1 then any_value(m.model_id) end as sole_leader_id,
        case when count(m.model_id) = 1 then any_value(m.model) end as sole_leader,
        case when count(m.model_id) = 1 then any_value(m.score) end as sole_leader_score
    from board_versions as v
    left join board_rows as m
        on m.board_id = v.board_id
        and m.snapshot_date = v.snapshot_date
        and m.rank_ub = 1
    group by v.board_id, v.snapshot_date
),

leaders as (
    select
        *,
        lag(sole_leader_id ignore nulls) over board_history as previous_leader_id,
        lag(sole_leader ignore nulls) over board_history as previous_leader
    from tops
    window board_history as (partition by board_id order by snapshot_date)
),

-- Every event of the versions inserted, then described by its board's four columns.
events as (
    select board_id, snapshot_date, 'new_model' as event_type, model_id, model,
           null as previous_model,
           -- Without bounds or votes (the dataset's Elo era) the details say so instead of going null.
           format('score {:g}', score) || coalesce(format(' ± {:g}', ci), ' (no CI published)')
               || coalesce(format(', {} votes', votes), '') as details
    from appeared
    where last_listed is null

    union all

    select board_id, snapshot_date,
           case when mass_reshown then 'relisted' else 'returned' end,
           model_id, model, null, format('last listed {}', strftime(last_listed, '%Y-%m-%d'))
    from appeared
    where last_listed is not null

    union all

    select board_id, snapshot_date,
           case when mass_hidden then 'delisted' else 'dropped' end,
           model_id, previous_model, null,
           format('last listed {}', strftime(previous_date, '%Y-%m-%d'))
               || coalesce(format(', {} votes', previous_votes), '')
    from with_listing
    where model is null

    union all

    select t.board_id, t.snapshot_date, 'renamed', t.model_id, t.model,
           t.previous_model, a.method
    from transitions as t
    left join model_aliases as a
        on a.board_id = t.board_id
        and a.model = t.model
        and a.valid_from = t.snapshot_date
    where t.model is not null and t.previous_model is not null and t.model <> t.previous_model

    union all

    select board_id, snapshot_date, 'new_leader', sole_leader_id, sole_leader,
           previous_leader, format('score {:g}', sole_leader_score)
    from leaders
    semi join new_versions using (board_id, snapshot_date)
    where sole_leader_id is not null and previous_leader_id is not null and previous_leader_id <> sole_leader_id

    union all

    select board_id, snapshot_date, 'method_change', null, null, null,
           method_change_reason
    from new_versions
    where len(method_changes) > 0
)

select b.source, b.arena, b.category, b.style_control, events.*
from events
join boards as b using (board_id)
