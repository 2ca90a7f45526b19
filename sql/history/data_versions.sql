-- Distinct data versions per arena, and whether the upstream changed its method at each one.
-- Distinctness is recomputed from data_hash (not from same_as_previous, which may lag behind).
-- Parameters: $min_models_in_common, $max_share_shifted (see analytics.METHOD_CHANGE_RULES).
insert into data_versions by name
with releases as (
    select
        arena, snapshot_date, schema_version, row_count, data_hash,
        lag(data_hash) over (partition by arena order by snapshot_date) as previous_hash
    from snapshots
),

versions as (
    select
        arena, snapshot_date, schema_version, row_count,
        row_number() over (partition by arena order by snapshot_date) as version_no,
        lag(snapshot_date) over (partition by arena order by snapshot_date) as previous_date,
        lag(schema_version) over (partition by arena order by snapshot_date) as previous_schema
    from releases
    where previous_hash is null or data_hash <> previous_hash
),

-- What the published `rank` column means in each header variant (v3 moved the rank upper bound
-- to the column named rank_stylectrl; the ingestion maps it back to rank_ub).
rank_methods (schema_version, rank_method) as (
    values
        ('v0', 'published rank upper bound'),
        ('v1', 'published rank upper bound'),
        ('v2', 'published rank upper bound'),
        ('v3', 'row position only; rank upper bound published as rank_stylectrl')
),

-- Identity is not known yet at this step: names listed in both versions stand in for models
-- (renames are a few per version and cannot make most scores move).
score_changes as (
    select
        v.arena,
        v.snapshot_date,
        count(*) as models_in_common,
        count(*) filter (
            where abs(cur.score - prev.score) > combined_ci(
                ci_half_width(prev.ci_plus, prev.ci_minus), ci_half_width(cur.ci_plus, cur.ci_minus)
            )
        ) as scores_shifted
    from versions as v
    join leaderboard_entries as cur
        on cur.arena = v.arena and cur.snapshot_date = v.snapshot_date
    join leaderboard_entries as prev
        on prev.arena = v.arena and prev.snapshot_date = v.previous_date and prev.model = cur.model
    group by v.arena, v.snapshot_date
),

signals as (
    select
        v.*,
        s.models_in_common,
        s.scores_shifted,
        coalesce(now_method.rank_method <> before_method.rank_method, false) as rank_meaning_changed,
        coalesce(
            s.models_in_common >= $min_models_in_common
            and s.scores_shifted > $max_share_shifted * s.models_in_common,
            false
        ) as scores_moved_at_once,
        before_method.rank_method as previous_rank_method,
        now_method.rank_method
    from versions as v
    left join score_changes as s using (arena, snapshot_date)
    left join rank_methods as now_method on now_method.schema_version = v.schema_version
    left join rank_methods as before_method on before_method.schema_version = v.previous_schema
),

flagged as (
    select
        *,
        rank_meaning_changed or scores_moved_at_once as is_method_change,
        nullif(concat_ws('; ',
            case when rank_meaning_changed then
                format('schema {} -> {}: rank changed meaning ({} -> {})',
                       previous_schema, schema_version, previous_rank_method, rank_method)
            end,
            case when scores_moved_at_once then
                format('{} of {} models listed in both versions moved by more than their combined CI',
                       scores_shifted, models_in_common)
            end
        ), '') as method_change_reason
    from signals
)

select
    arena,
    snapshot_date,
    version_no,
    previous_date,
    schema_version,
    row_count,
    models_in_common,
    scores_shifted,
    rank_meaning_changed,
    scores_moved_at_once,
    is_method_change,
    method_change_reason,
    1 + sum(is_method_change::integer) over (partition by arena order by snapshot_date) as method_era
from flagged
