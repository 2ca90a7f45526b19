-- Hard invariant: ranks and positions start at 1.
select
    count(*) as rows_checked,
    count(*) filter (where rank_ub < 1) as rank_ub_below_1,
    count(*) filter (where rank_stylectrl < 1) as rank_stylectrl_below_1,
    count(*) filter (where position < 1) as position_below_1
from model_versions
