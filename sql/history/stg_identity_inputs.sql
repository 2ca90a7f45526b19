-- The rows the rename detector needs (identity.py): every model of every data version.
select
    e.arena,
    e.snapshot_date,
    e.model,
    e.organization,
    e.score,
    ci_half_width(e.ci_plus, e.ci_minus) as ci,
    e.votes
from leaderboard_entries as e
join data_version_days() using (arena, snapshot_date)
order by e.arena, e.snapshot_date, e.model
