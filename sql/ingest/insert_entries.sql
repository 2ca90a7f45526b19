-- incoming_entries holds the rows of each distinct file once (file_key = sha256/file name);
-- each arena-day that published that file gets a copy.
insert into leaderboard_entries (arena, snapshot_date, model, rank_ub, rank_stylectrl, position,
                                 score, ci_plus, ci_minus, votes, organization, license,
                                 knowledge_cutoff, url)
select
    s.arena,
    cast(s.snapshot_date as date),
    e.model,
    e.rank_ub,
    cast(e.rank_stylectrl as integer),
    e.position,
    e.score,
    e.ci_plus,
    e.ci_minus,
    e.votes,
    cast(e.organization as varchar),
    cast(e.license as varchar),
    cast(e.knowledge_cutoff as varchar),
    cast(e.url as varchar)
from incoming_snapshots as s
join incoming_entries as e using (file_key)
