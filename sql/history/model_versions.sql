-- Attach the model identity to every row of every data version.
insert into model_versions by name
select
    v.arena,
    v.snapshot_date,
    v.version_no,
    a.model_id,
    e.model,
    e.rank_ub,
    e.rank_stylectrl,
    e.position,
    e.score,
    e.ci_plus,
    e.ci_minus,
    ci_half_width(e.ci_plus, e.ci_minus) as ci,
    e.votes,
    e.organization,
    e.license,
    e.knowledge_cutoff,
    e.url
from data_versions as v
join leaderboard_entries as e
    on e.arena = v.arena and e.snapshot_date = v.snapshot_date
join model_aliases as a
    on a.arena = e.arena
    and a.model = e.model
    and a.valid_from <= e.snapshot_date
    and (a.valid_to is null or e.snapshot_date < a.valid_to)
