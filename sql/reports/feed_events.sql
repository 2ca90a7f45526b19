-- The events a feed reader is told about, for one board ($source, $arena, $category,
-- $style_control) up to $as_of: a new #1, a new model,
-- a rename, a method change (from model_events), and a listed model whose rank upper bound
-- crosses into the top 10 (not on a method change, where ranks are not comparable). Each row
-- carries the model's rank and score at that version for the entry's text.
with versions as (
    select
        snapshot_date,
        previous_date,
        is_method_change
    from data_versions
    where source = $source
      and arena = $arena
      and category = $category
      and style_control = $style_control
      and snapshot_date <= $as_of
),

listed as (
    select
        snapshot_date,
        model_id,
        model,
        rank_ub,
        score
    from model_versions
    where source = $source
      and arena = $arena
      and category = $category
      and style_control = $style_control
      and snapshot_date <= $as_of
),

told_events as (
    select
        events.snapshot_date,
        events.event_type,
        events.model_id,
        events.model,
        events.previous_model,
        cast(null as integer) as rank_ub_prev
    from model_events as events
    where events.source = $source
      and events.arena = $arena
      and events.category = $category
      and events.style_control = $style_control
      and events.snapshot_date <= $as_of
      and events.event_type in ('new_leader', 'new_model', 'renamed', 'method_change')
      -- A common offset alone is explained in the digest, not announced as a break.
      and (events.event_type <> 'method_change' or exists (
          select 1 from versions
          where versions.snapshot_date = events.snapshot_date and versions.is_method_change))
),

entered_top10 as (
    select
        now.snapshot_date,
        'entered_top10' as event_type,
        now.model_id,
        now.model,
        cast(null as varchar) as previous_model,
        before.rank_ub as rank_ub_prev
    from listed as now
    join versions
        on versions.snapshot_date = now.snapshot_date
    join listed as before
        on before.snapshot_date = versions.previous_date
       and before.model_id = now.model_id
    where now.rank_ub <= 10
      and before.rank_ub > 10
      and not versions.is_method_change
),

all_events as (
    select * from told_events
    union all
    select * from entered_top10
)

select
    all_events.snapshot_date,
    all_events.event_type,
    all_events.model_id,
    all_events.model,
    all_events.previous_model,
    all_events.rank_ub_prev,
    listed.rank_ub,
    listed.score
from all_events
left join listed
    on listed.snapshot_date = all_events.snapshot_date
   and listed.model_id = all_events.model_id
order by all_events.snapshot_date, all_events.event_type, all_events.model
