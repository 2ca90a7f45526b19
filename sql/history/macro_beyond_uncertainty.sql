-- The significance rule, written once: a score change counts when it exceeds the combined CI of
-- its two end points plus a slack (the error of the common offset removed from it, 0 if none).
create or replace macro beyond_uncertainty(change, ci_a, ci_b, slack) as
    abs(change) > combined_ci(ci_a, ci_b) + slack
