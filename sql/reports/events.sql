-- What happened on one board ($source, $arena, $category, $style_control) between $start_date
-- and $end_date (both inclusive): the model_events of the data versions in that window, in a
-- stable order. A method change also carries the signals behind it (see sql/history/data_versions.sql) so that the report can
-- explain each kind in its own language.
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
    where source = $source
      and arena = $arena
      and category = $category
      and style_control = $style_control
      and snapshot_date between $start_date and $end_date
),

method_facts as (
    select
        version.arena,
        version.snapshot_date,
        'method_change' as event_type,
        previous.schema_version as schema_before,
        version.schema_version as schema_after,
        version.method_changes,
        version.is_method_change,
        version.models_hidden,
        version.models_reshown,
        version.score_shift,
        version.score_slope,
        version.scale_stretch,
        version.scores_moved_adj,
        version.models_in_common,
        previous.symmetric_ci_share as symmetric_ci_share_before,
        version.symmetric_ci_share
    from data_versions as version
    left join data_versions as previous
        on previous.board_id = version.board_id
        and previous.snapshot_date = version.previous_date
    where version.source = $source
      and version.arena = $arena
      and version.category = $category
      and version.style_control = $style_control
      and len(version.method_changes) > 0
)

select window_events.*, method_facts.* exclude (arena, snapshot_date, event_type)
from window_events
left join method_facts using (arena, snapshot_date, event_type)
order by snapshot_date, event_type, model_id nulls first, model
