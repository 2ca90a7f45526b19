-- The rename detector's input (identity.py), in its compact form: one row per data version of
-- the boards in boards_to_compute, with every name listed, the details of the models the rule
-- can look at (those not listed in the board's previous version, and those not listed in its
-- next one) and the median score change of the models listed in both this and the previous
-- version. ci is null where the dataset published no bounds. Read from the batch's rows
-- (board_rows): of a board to be appended to (boards_to_compute.appended_after), only its
-- versions from appended_after on (the first of them lists every model in its details).
with versions as (
    select board_id, max(version_no) as last_version_no
    from data_version_days()
    semi join boards_to_compute using (board_id)
    group by board_id
),

listed as (
    select
        r.board_id,
        r.snapshot_date,
        r.version_no,
        v.last_version_no,
        r.model,
        r.organization,
        r.score,
        ci_half_width(r.ci_plus, r.ci_minus) as ci,
        r.votes,
        -- The same name's listing in the version before and after this one, if any.
        lag(r.version_no) over by_name as previous_listing,
        lag(r.score) over by_name as previous_score,
        lead(r.version_no) over by_name as next_listing
    from board_rows as r
    join versions as v using (board_id)
    window by_name as (partition by r.board_id, r.model order by r.version_no)
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
