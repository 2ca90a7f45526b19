-- The rename detector's input (identity.py), in its compact form: one row per data version of
-- the boards in boards_to_compute, with every name listed, the details of the models the rule
-- can look at (those not listed in the board's previous version, and those not listed in its
-- next one) and the median score change of the models listed in both this and the previous
-- version. ci is null where the dataset published no bounds. Of a board to be appended to
-- (boards_to_compute.appended_after), only its versions from appended_after on (the first of
-- them lists every model in its details).
with versions as (
    select
        board_id,
        source,
        arena,
        category,
        style_control,
        snapshot_date,
        version_no,
        max(version_no) over (partition by board_id) as last_version_no
    from data_version_days()
    join boards_to_compute as b using (board_id)
    where b.appended_after is null or snapshot_date >= b.appended_after
),

listed as (
    select
        v.board_id,
        e.snapshot_date,
        v.version_no,
        v.last_version_no,
        e.model,
        e.organization,
        e.score,
        ci_half_width(e.ci_plus, e.ci_minus) as ci,
        e.votes,
        -- The same name's listing in the version before and after this one, if any.
        lag(v.version_no) over by_name as previous_listing,
        lag(e.score) over by_name as previous_score,
        lead(v.version_no) over by_name as next_listing
    from v_board_entries as e
    join versions as v using (source, arena, category, style_control, snapshot_date)
    window by_name as (partition by v.board_id, e.model order by v.version_no)
)

select
    board_id,
    snapshot_date,
    list(model order by model) as names,
    coalesce(list(
        {'name': model, 'organization': organization, 'score': score, 'ci': ci, 'votes': votes}
        order by model
    ) filter (
        where (version_no > 1 and previous_listing is distinct from version_no - 1)
            or (version_no < last_version_no and next_listing is distinct from version_no + 1)
    ), []) as churn,
    median(score - previous_score) filter (where previous_listing = version_no - 1) as score_shift
from listed
group by board_id, snapshot_date
order by board_id, snapshot_date
