"""When the unpartitioned assets downstream of ingestion refresh on their own.

However a day was ingested (the `refresh` job, a partition backfill launched from the UI on the
ingestion asset alone, the release sensor), the analytics tables and the reports follow once the
ingestion run is done. Dagster's daemon evaluates this (`dagster dev` starts it); the requested
run queues behind any other writer in the DuckDB pool, so it never races an ingestion.
"""

import dagster as dg

# `eager()` without its "no dependency missing" clause: the ingestion asset is daily-partitioned
# and some of its partitions are always missing (today's before the upstream publishes, days
# before a backfill), which would keep eager() from ever firing on an unpartitioned child.
# A run that also materializes the child (the `refresh` job) does not trigger it again:
# any_deps_updated() ignores parent updates from runs that planned the child too.
DOWNSTREAM_OF_INGESTION = dg.AutomationCondition.eager().without(
    ~dg.AutomationCondition.any_deps_missing()
).with_label("eager, after any ingested day")
