-- incoming_entries: the parsed rows of one file, registered by the loader as a DataFrame.
insert into leaderboard_entries
select
    $arena as arena,
    cast($snapshot_date as date) as snapshot_date,
    model, rank_ub, rank_stylectrl, position, score, ci_plus, ci_minus, votes,
    organization, license, knowledge_cutoff, url
from incoming_entries
