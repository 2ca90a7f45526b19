-- Hard invariant: every row carries a usable confidence interval (both half-widths, not
-- negative). The official dataset publishes no bounds for some rows (its 2023 Elo era): there a
-- row has both bounds or neither, and rows without are counted apart.
select
    count(*) as rows_checked,
    count(*) filter (
        where (source = 'fboulnois' and (ci_plus is null or ci_minus is null or ci is null))
            or (ci_plus is null) <> (ci_minus is null)
            or ci_plus < 0
            or ci_minus < 0
    ) as rows_without_ci,
    count(*) filter (where source <> 'fboulnois' and ci_plus is null and ci_minus is null)
        as dataset_rows_without_bounds
from model_versions
