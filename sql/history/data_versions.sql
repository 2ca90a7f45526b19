-- Distinct data versions per board (board_id), with the signals
-- that tell a change of the upstream's method apart from news about models, and the kinds of
-- method change they add up to; only for the boards in boards_to_compute (analytics.py).
-- Runs after model_aliases and model_versions: the listing signals count model identities, so a
-- rename is neither hidden nor re-shown. Parameters: see analytics.METHOD_CHANGE_RULES (each threshold is
-- documented and measured there).
-- Rows without CI bounds (the official dataset's Elo era) have a null ci: they count in
-- models_in_common and the offset (scores only), never in scores_moved, the slope fit or the
-- symmetric share, and bounded_share says how many rows had bounds at all.
-- A board appended to (boards_to_compute.appended_after) gets only the rows of its versions after
-- appended_after, reading the rows of that version too (the previous one of the first new version)
-- and the stored method_era of the earlier ones. Every signal of a version
-- looks only backwards (its previous version, models ever listed before, eras so far), so the
-- stored rows of the earlier versions stay what a whole recompute would give.
insert into data_versions by name
with all_versions as (
    select days.*, b.appended_after, stored.method_era as era_before
    from data_version_days() as days
    join boards_to_compute as b using (board_id)
    left join data_versions as stored
        on stored.board_id = b.board_id
        and stored.snapshot_date = b.appended_after
),

-- The versions whose rows this run inserts.
versions as (
    select * from all_versions
    where appended_after is null or snapshot_date > appended_after
),

-- Every row of every version read with its identity (model_versions, inserted just before):
-- of an appended board, its newest stored version's rows and the new versions'. Each row knows
-- its identity's listing in the versions just before and after (windows, not self-joins).
identified as (
    select
        m.board_id,
        m.snapshot_date,
        m.version_no,
        m.model_id,
        m.score,
        m.ci,
        -- Equal within float noise: the dataset's half-widths are differences of doubles.
        abs(m.ci_plus - m.ci_minus) < 1e-6 as symmetric_ci,
        m.ci_plus is not null and m.ci_minus is not null as bounded,
        lag(m.version_no) over by_identity = m.version_no - 1 as in_previous,
        lead(m.version_no) over by_identity = m.version_no + 1 as in_next,
        lag(m.score) over by_identity as score_prev,
        lag(m.ci) over by_identity as ci_prev
    from model_versions as m
    join boards_to_compute as b using (board_id)
    where b.appended_after is null or m.snapshot_date >= b.appended_after
    window by_identity as (partition by m.board_id, m.model_id order by m.version_no)
),

-- The models listed in both a version and the previous one.
pairs as (
    select
        cur.board_id,
        cur.snapshot_date,
        cur.score_prev,
        cur.score,
        cur.score - cur.score_prev as score_change,
        combined_ci(cur.ci_prev, cur.ci) as combined
    from identified as cur
    semi join versions using (board_id, snapshot_date)
    where cur.in_previous
),

field_moves as (
    select
        board_id,
        snapshot_date,
        count(*) as models_in_common,
        median(score_change) as median_change,
        -- The rules' scale: a typical model's combined CI on this board (the CSV's whole-number
        -- text board ~7 points, a minor category of the dataset up to ~55).
        median(combined) as median_combined,
        greatest($offset_tolerance, $offset_tolerance_ci_share * median(combined)) as tolerance
    from pairs
    group by board_id, snapshot_date
),

-- The slope of new on old scores, fitted on the models that moved with the field (within their
-- combined CI of the median change), so that a few real movers cannot tilt it.
scales as (
    select
        f.board_id,
        f.snapshot_date,
        regr_slope(p.score, p.score_prev) filter (where abs(p.score_change - f.median_change) <= p.combined)
            as score_slope,
        abs(regr_slope(p.score, p.score_prev) filter (where abs(p.score_change - f.median_change) <= p.combined) - 1)
            * (max(p.score_prev) filter (where abs(p.score_change - f.median_change) <= p.combined)
               - min(p.score_prev) filter (where abs(p.score_change - f.median_change) <= p.combined))
            as scale_stretch
    from field_moves as f
    join pairs as p using (board_id, snapshot_date)
    group by f.board_id, f.snapshot_date
),

-- A common offset is accepted only when the models agree on it: most changes lie within the
-- tolerance (the published scores' rounding) of the median change.
offsets as (
    select
        f.*,
        avg((abs(p.score_change - f.median_change) <= f.tolerance)::integer) as offset_agreement
    from field_moves as f
    join pairs as p using (board_id, snapshot_date)
    group by all
),

shifts as (
    select
        *,
        case
            when models_in_common >= $min_models_in_common
                and offset_agreement >= $min_offset_agreement
                and abs(median_change) > tolerance
            then median_change
            else 0
        end as score_shift
    from offsets
),

moved as (
    select
        s.board_id,
        s.snapshot_date,
        count(*) filter (where abs(p.score_change) > p.combined) as scores_moved,
        count(*) filter (
            where abs(p.score_change - s.score_shift)
                > p.combined + case when s.score_shift <> 0 then s.tolerance else 0 end
        ) as scores_moved_adj
    from shifts as s
    join pairs as p using (board_id, snapshot_date)
    group by s.board_id, s.snapshot_date
),

-- Identities that left or came back at this version (a rename keeps its identity, so it is neither).
hidden as (
    select v.board_id, v.snapshot_date, count(*) as models_hidden
    from versions as v
    join identified as prev
        on prev.board_id = v.board_id
            and prev.version_no = v.version_no - 1
    where prev.in_next is not true
    group by v.board_id, v.snapshot_date
),

-- The first listing of each identity: its aliases' earliest valid_from (an alias starts on a
-- day its name is listed under it), so an appended board reads no stored rows for it.
first_listed as (
    select board_id, model_id, min(valid_from) as first_date
    from model_aliases
    semi join boards_to_compute using (board_id)
    group by board_id, model_id
),

reshown as (
    select v.board_id, v.snapshot_date, count(*) as models_reshown
    from versions as v
    join identified as cur using (board_id, snapshot_date)
    join first_listed as f using (board_id, model_id)
    where cur.in_previous is not true
        and f.first_date < v.previous_date
    group by v.board_id, v.snapshot_date
),

listing as (
    select
        v.board_id,
        v.snapshot_date,
        coalesce(h.models_hidden, 0) as models_hidden,
        coalesce(r.models_reshown, 0) as models_reshown
    from versions as v
    left join hidden as h using (board_id, snapshot_date)
    left join reshown as r using (board_id, snapshot_date)
    where v.previous_date is not null
),

ci_shapes as (
    select
        board_id,
        snapshot_date,
        avg(symmetric_ci::integer) as symmetric_ci_share,
        lag(avg(symmetric_ci::integer)) over board_history as previous_symmetric_ci_share,
        avg(bounded::integer) as bounded_share,
        lag(avg(bounded::integer)) over board_history as previous_bounded_share
    from identified
    group by board_id, snapshot_date
    window board_history as (partition by board_id order by snapshot_date)
),

-- What the published `rank` column means in each header variant (v3 moved the rank upper bound
-- to the column named rank_stylectrl; the ingestion maps it back to rank_ub).
rank_methods (schema_version, rank_method) as (
    values
        ('v0', 'published rank upper bound'),
        ('v1', 'published rank upper bound'),
        ('v2', 'published rank upper bound'),
        ('v3', 'row position only; rank upper bound published as rank_stylectrl'),
        ('dataset', 'published rank as read per date (dataset_snapshots.rank_kind): an upper bound shown as is, else derived from the bounds')
),

signals as (
    select
        v.*,
        s.models_in_common,
        l.models_hidden,
        l.models_reshown,
        coalesce(s.score_shift, 0) as score_shift,
        -- The offset is a median of rounded scores: for one model it may be off by the tolerance.
        case when coalesce(s.score_shift, 0) <> 0 then s.tolerance else 0 end as score_shift_error,
        s.offset_agreement,
        sc.score_slope,
        sc.scale_stretch,
        m.scores_moved,
        m.scores_moved_adj,
        c.symmetric_ci_share,
        c.previous_symmetric_ci_share,
        c.bounded_share,
        c.previous_bounded_share,
        -- Bounds appearing or vanishing for most rows (the dataset's Elo era ending) is a change of
        -- CI method too.
        coalesce(abs(c.bounded_share - c.previous_bounded_share) > $max_symmetry_change, false)
            as bounds_changed,
        before_method.rank_method as previous_rank_method,
        now_method.rank_method,
        coalesce(now_method.rank_method <> before_method.rank_method, false) as rank_meaning_changed,
        coalesce(
            l.models_hidden >= greatest($min_listing_change, $min_listing_change_share * s.models_in_common), false
        ) as listing_hidden,
        coalesce(
            l.models_reshown >= greatest($min_listing_change, $min_listing_change_share * s.models_in_common), false
        ) as listing_reshown,
        coalesce(s.score_shift <> 0, false) as score_offset,
        coalesce(
            s.models_in_common >= $min_models_in_common
            and (sc.scale_stretch > greatest($max_scale_stretch, $max_scale_stretch_ci_share * s.median_combined)
                 or m.scores_moved_adj > $max_share_moved * s.models_in_common),
            false
        ) as score_scale,
        coalesce(abs(c.symmetric_ci_share - c.previous_symmetric_ci_share) > $max_symmetry_change, false)
            or coalesce(abs(c.bounded_share - c.previous_bounded_share) > $max_symmetry_change, false)
            as ci_method
    from versions as v
    left join shifts as s using (board_id, snapshot_date)
    left join scales as sc using (board_id, snapshot_date)
    left join moved as m using (board_id, snapshot_date)
    left join listing as l using (board_id, snapshot_date)
    left join ci_shapes as c using (board_id, snapshot_date)
    left join rank_methods as now_method on now_method.schema_version = v.schema_version
    left join rank_methods as before_method on before_method.schema_version = v.previous_schema
),

flagged as (
    select
        *,
        list_filter([
            case when rank_meaning_changed then 'rank_meaning' end,
            case when listing_hidden then 'listing_hidden' end,
            case when listing_reshown then 'listing_reshown' end,
            case when score_offset then 'score_offset' end,
            case when score_scale then 'score_scale' end,
            case when ci_method then 'ci_method' end
        ], lambda kind: kind is not null)::varchar[] as method_changes,
        -- A common offset alone keeps values comparable: score_delta_adj removes it.
        rank_meaning_changed or listing_hidden or listing_reshown or score_scale or ci_method
            as is_method_change,
        nullif(concat_ws('; ',
            case when rank_meaning_changed then
                format('schema {} -> {}: rank changed meaning ({} -> {})',
                       previous_schema, schema_version, previous_rank_method, rank_method)
            end,
            case when listing_hidden then
                format('listing change: {} models hidden at once', models_hidden)
            end,
            case when listing_reshown then
                format('listing change: {} models listed again at once', models_reshown)
            end,
            case when score_offset then
                format('common offset of {:+g} points ({:.0f}% of the {} models in common agree); removed from score_delta_adj',
                       score_shift, 100 * offset_agreement, models_in_common)
            end,
            case when score_scale then
                format('scores re-scaled: slope {:.4f} stretches the field by {:.1f} points; {} of {} models moved beyond their combined CI after removing the common offset',
                       score_slope, scale_stretch, scores_moved_adj, models_in_common)
            end,
            case when ci_method and bounds_changed then
                format('CI method changed: bounds published for {:.0f}% -> {:.0f}% of the rows',
                       100 * previous_bounded_share, 100 * bounded_share)
            when ci_method then
                format('CI method changed: symmetric CIs {:.0f}% -> {:.0f}% of the rows',
                       100 * previous_symmetric_ci_share, 100 * symmetric_ci_share)
            end
        ), '') as method_change_reason
    from signals
)

select
    board_id,
    source,
    arena,
    category,
    style_control,
    snapshot_date,
    version_no,
    previous_date,
    schema_version,
    row_count,
    models_in_common,
    models_hidden,
    models_reshown,
    score_shift,
    score_shift_error,
    offset_agreement,
    score_slope,
    scale_stretch,
    scores_moved,
    scores_moved_adj,
    symmetric_ci_share,
    bounded_share,
    method_changes,
    is_method_change,
    method_change_reason,
    -- Eras so far: an appended board continues from its stored newest version's era.
    coalesce(era_before, 1) + sum(is_method_change::integer) over (
        partition by board_id order by snapshot_date
    ) as method_era
from flagged
