-- What happened in one arena between $start_date and $end_date (both inclusive): the
-- model_events of the data versions in that window, in a stable order. A method change also
-- carries the signals behind it (see insert_data_versions.sql) so that the report can explain
-- it in its own language.
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
),

method_facts as (
    select
        version.arena,
        version.snapshot_date,
        'method_change' as event_type,
        previous.schema_version as schema_before,
        version.schema_version as schema_after,
        version.rank_meaning_changed,
        version.scores_moved_at_once,
        version.scores_shifted,
        version.models_in_common
    from data_versions as version
    left join data_versions as previous
        on previous.arena = version.arena and previous.snapshot_date = version.previous_date
    where version.is_method_change
)

select window_events.*, method_facts.* exclude (arena, snapshot_date, event_type)
from window_events
left join method_facts using (arena, snapshot_date, event_type)
order by snapshot_date, event_type, model_id nulls first, model
