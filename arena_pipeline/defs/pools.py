"""The concurrency pool of the DuckDB file.

DuckDB allows one process to hold the file, readers included. Every asset and check that opens
it runs in this pool; the `dagster.yaml` the CLI writes limits every pool to one step at a time,
so a schedule tick, a UI launch and a CLI run queue inside Dagster instead of racing for the
file lock (and failing after the DuckDB resource's ~100 s of retries).
"""

DUCKDB_WRITER_POOL = "duckdb_writer"


def free_slots_of_finished_runs(instance, pool: str = DUCKDB_WRITER_POOL) -> list[str]:
    """Give back the slots of runs that are over (or gone from the instance).

    Dagster frees a run's slots when its steps finish, not when a killed run is later marked
    failed: a CLI run killed mid-step keeps the DuckDB slot, and every later run would wait for
    it forever ("blocked by limit for pool"). One line per run whose slots were freed.
    """
    import dagster as dg

    info = instance.event_log_storage.get_concurrency_info(pool)
    holders = {slot.run_id for slot in info.claimed_slots}
    freed = []
    for run_id in sorted(holders):
        run = instance.get_run_by_id(run_id)
        if run is None or run.status in (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE,
                                          dg.DagsterRunStatus.CANCELED):
            instance.event_log_storage.free_concurrency_slots_for_run(run_id)
            freed.append(f"pool {pool}: freed the slot of run {run_id} "
                         f"({run.status.value if run else 'not in this instance'})")
    return freed
