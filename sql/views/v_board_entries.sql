-- Every source's rows with their board, for analytics and pages that read per board: a board is
-- (source, arena, category, style_control). The CSV source's boards are
-- (fboulnois, text|vision|image, overall, false); the official dataset's come from dataset_entries.
create or replace view v_board_entries as
select
    'fboulnois' as source, arena, 'overall' as category, false as style_control, snapshot_date,
    model, rank_ub, rank_stylectrl, position, score,
    cast(ci_plus as double) as ci_plus, cast(ci_minus as double) as ci_minus, votes,
    organization, license, knowledge_cutoff, url
from leaderboard_entries
union all
select
    source, arena, category, style_control, snapshot_date,
    model, rank_ub, rank_stylectrl, position, score,
    ci_plus, ci_minus, votes,
    organization, license, knowledge_cutoff, url
from dataset_entries
