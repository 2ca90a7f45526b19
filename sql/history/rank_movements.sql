-- How each model moved between consecutive data versions, and over 7 and 30 days.
-- Deltas are current - previous. Significance is tested on the deltas with the field's common
-- offsets removed; a movement across a breaking method change is not comparable. Per board
-- (board_id), for the boards in boards_to_compute; of an appended
-- board, only the movements into its versions after appended_after (reading the earlier
-- versions they compare with). A version
-- without bounds (the dataset's Elo era) gives null CIs and a null `significant`: unknown.
insert into rank_movements by name
with all_versions as (
    select
        *,
        -- Offsets add up: the shift between two versions is the difference of these sums.
        sum(score_shift) over board_history as cumulative_shift,
        sum(score_shift_error) over board_history as cumulative_shift_error
    from data_versions
    join boards_to_compute using (board_id)
    window board_history as (partition by board_id order by snapshot_date)
),

versions as (
    select
        v.*,
        -- The latest data version at or before 7 / 30 days earlier (a release day, not a version,
        -- may fall on that date).
        (select max(earlier.snapshot_date) from data_versions as earlier
         where earlier.board_id = v.board_id and earlier.snapshot_date <= v.snapshot_date - 7)
            as version_7d,
        (select max(earlier.snapshot_date) from data_versions as earlier
         where earlier.board_id = v.board_id and earlier.snapshot_date <= v.snapshot_date - 30)
            as version_30d
    from all_versions as v
    where v.previous_date is not null
        and (v.appended_after is null or v.snapshot_date > v.appended_after)
),

-- The versions the movements read: the new ones and those they compare with.
read_dates as (
    select distinct board_id, unnest([snapshot_date, previous_date, version_7d, version_30d])
        as snapshot_date
    from versions
),

-- The boards' rows: each join below reads only them, never the other boards' (inlined, not a copy).
board_rows as not materialized (
    select *
    from model_versions
    semi join read_dates using (board_id, snapshot_date)
),

moves as (
    select
        v.board_id,
        v.snapshot_date,
        v.previous_date,
        cur.model_id,
        cur.model,
        prev.rank_ub as rank_ub_prev,
        cur.rank_ub,
        prev.rank_stylectrl as rank_stylectrl_prev,
        cur.rank_stylectrl,
        prev.score as score_prev,
        cur.score,
        v.score_shift,
        v.score_shift_error,
        v.cumulative_shift,
        v.cumulative_shift_error,
        prev.votes as votes_prev,
        cur.votes,
        prev.ci as ci_prev,
        cur.ci,
        not v.is_method_change as comparable,
        v.method_era,
        v.version_7d,
        v.version_30d
    from versions as v
    join board_rows as cur using (board_id, snapshot_date)
    join board_rows as prev
        on prev.board_id = v.board_id
        and prev.snapshot_date = v.previous_date
        and prev.model_id = cur.model_id
)

select
    m.board_id,
    b.source,
    b.arena,
    b.category,
    b.style_control,
    m.snapshot_date,
    m.previous_date,
    m.model_id,
    m.model,
    m.rank_ub_prev,
    m.rank_ub,
    m.rank_ub - m.rank_ub_prev as rank_ub_delta,
    m.rank_stylectrl_prev,
    m.rank_stylectrl,
    m.rank_stylectrl - m.rank_stylectrl_prev as rank_stylectrl_delta,
    m.score_prev,
    m.score,
    m.score - m.score_prev as score_delta,
    m.score - m.score_prev - m.score_shift as score_delta_adj,
    m.votes_prev,
    m.votes,
    m.votes - m.votes_prev as votes_delta,
    m.ci_prev,
    m.ci,
    beyond_uncertainty(m.score - m.score_prev - m.score_shift, m.ci_prev, m.ci, m.score_shift_error)
        as significant,
    m.comparable,
    week.snapshot_date as date_7d,
    m.rank_ub - week.rank_ub as rank_ub_delta_7d,
    m.score - week.score as score_delta_7d,
    m.score - week.score - (m.cumulative_shift - era_7d.cumulative_shift) as score_delta_adj_7d,
    beyond_uncertainty(
        m.score - week.score - (m.cumulative_shift - era_7d.cumulative_shift), week.ci, m.ci,
        m.cumulative_shift_error - era_7d.cumulative_shift_error
    ) as significant_7d,
    case when week.snapshot_date is not null then era_7d.method_era = m.method_era end as comparable_7d,
    month.snapshot_date as date_30d,
    m.rank_ub - month.rank_ub as rank_ub_delta_30d,
    m.score - month.score as score_delta_30d,
    m.score - month.score - (m.cumulative_shift - era_30d.cumulative_shift) as score_delta_adj_30d,
    beyond_uncertainty(
        m.score - month.score - (m.cumulative_shift - era_30d.cumulative_shift), month.ci, m.ci,
        m.cumulative_shift_error - era_30d.cumulative_shift_error
    ) as significant_30d,
    case when month.snapshot_date is not null then era_30d.method_era = m.method_era end as comparable_30d
from moves as m
join boards as b using (board_id)
-- The end points exist only where the model was listed: otherwise every *_7d / *_30d is null.
left join board_rows as week
    on week.board_id = m.board_id
    and week.snapshot_date = m.version_7d
    and week.model_id = m.model_id
left join board_rows as month
    on month.board_id = m.board_id
    and month.snapshot_date = m.version_30d
    and month.model_id = m.model_id
left join all_versions as era_7d
    on era_7d.board_id = m.board_id
    and era_7d.snapshot_date = week.snapshot_date
left join all_versions as era_30d
    on era_30d.board_id = m.board_id
    and era_30d.snapshot_date = month.snapshot_date
