-- What happened in one arena between $start_date and $end_date (both inclusive): the
-- model_events of the data versions in that window, in a stable order.
with window_events as (
    select
        arena,
        snapshot_date,
        event_type,
        model_id,
        model,
        previous_model,
        details
    from model_events
    where arena = $arena
      and snapshot_date between $start_date and $end_date
)
select *
from window_events
order by snapshot_date, event_type, model_id nulls first, model
