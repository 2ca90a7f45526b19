-- Hard invariant: every row carries a usable confidence interval (both half-widths, not negative).
select
    count(*) as rows_checked,
    count(*) filter (
        where ci_plus is null or ci_minus is null or ci_plus < 0 or ci_minus < 0 or ci is null
    ) as rows_without_ci
from model_versions
