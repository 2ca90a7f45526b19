-- A dataset board's page rows as of $as_of: the newest publish date of the raw board ($arena,
-- $category, without style control) at or before that day, in published order (a published
-- upper-bound rank ties: each tie group by score, as LMArena's own page). rank_stylectrl
-- was filled at load from the style-controlled board of the same day; has_style_control_board
-- says whether that board exists (webdev, text_to_image, ... publish none).
with chosen as (
    select max(snapshot_date) as snapshot_date
    from dataset_snapshots
    where source = 'lmarena_dataset' and arena = $arena and category = $category
      and not style_control and snapshot_date <= $as_of
)
select
    entries.arena,
    entries.category,
    entries.snapshot_date,
    entries.model,
    entries.rank_ub,
    entries.rank_stylectrl,
    entries.position,
    entries.score,
    entries.ci_plus,
    entries.ci_minus,
    entries.votes,
    entries.organization,
    entries.license,
    entries.knowledge_cutoff,
    entries.url,
    (
        select board.rank_kind from dataset_snapshots as board
        where board.source = 'lmarena_dataset' and board.arena = $arena and board.category = $category
          and not board.style_control and board.snapshot_date = chosen.snapshot_date
    ) as rank_kind,
    exists(
        select 1 from dataset_snapshots as sc
        where sc.source = 'lmarena_dataset' and sc.arena = $arena and sc.category = $category
          and sc.style_control and sc.snapshot_date = chosen.snapshot_date
    ) as has_style_control_board
from chosen
join dataset_entries as entries
    on entries.source = 'lmarena_dataset'
   and entries.arena = $arena
   and entries.category = $category
   and not entries.style_control
   and entries.snapshot_date = chosen.snapshot_date
order by entries.position asc, entries.score desc, entries.model asc
