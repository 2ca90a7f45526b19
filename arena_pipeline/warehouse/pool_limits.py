"""The DuckDB writer pool's limit row, created before a run needs it.

Dagster creates a pool's row in its concurrency tables the first time a step claims a slot of it
(`initialize_concurrency_limit_to_default`). On PostgreSQL two runs doing so at the same moment
race: both insert, the second gets the duplicate key, and Dagster 1.13.27 catches that and goes
on in the transaction PostgreSQL has aborted, so that run fails (seen for 1 in 4 pairs of
`update` started together on a new instance). The CLI creates the row before its run, where a
lost race is harmless: the row the other command inserted is all that was needed.
"""

import time

import dagster as dg
import sqlalchemy

ATTEMPTS = 5


def ensure_pool_limit_rows(instance: dg.DagsterInstance, pools: list[str]) -> None:
    """Each pool's limit row at dagster.yaml's default limit, made unless it exists."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits or instance.global_op_concurrency_default_limit is None:
        return
    for pool in pools:
        for attempt in range(ATTEMPTS):
            if pool in {limit.name for limit in storage.get_pool_limits()}:
                break
            try:
                storage.initialize_concurrency_limit_to_default(pool)
            except sqlalchemy.exc.DBAPIError:
                # Another process inserted it first (duplicate key): look again.
                if attempt == ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
