"""One run of a job with two steps in the DuckDB pool that write the real file, executed by
`python -m tests.pool_runs DB` against DAGSTER_HOME (tests/test_dagster_storage.py starts three
at once); prints each step's start and end (time.time()) as JSON lines."""

import json
import sys
import time

import dagster as dg
import duckdb

from arena_pipeline.defs.pools import DUCKDB_WRITER_POOL


def _write(context: dg.OpExecutionContext) -> None:
    started = time.time()
    with duckdb.connect(context.op_config["db"]) as conn:
        conn.execute("create table if not exists writes (run_id varchar, step varchar)")
        conn.execute("insert into writes values (?, ?)", [context.run_id, context.op.name])
        time.sleep(0.3)
    print(json.dumps({"run_id": context.run_id, "step": context.op.name, "start": started,
                      "end": time.time()}), flush=True)


first_write = dg.op(name="first_write", pool=DUCKDB_WRITER_POOL, config_schema={"db": str})(_write)
second_write = dg.op(name="second_write", pool=DUCKDB_WRITER_POOL, config_schema={"db": str},
                     ins={"after": dg.In(dg.Nothing)})(_write)


@dg.job(executor_def=dg.in_process_executor)
def two_writes():
    second_write(after=first_write())


if __name__ == "__main__":
    config = {"ops": {name: {"config": {"db": sys.argv[1]}} for name in ("first_write", "second_write")}}
    with dg.DagsterInstance.get() as instance:
        result = two_writes.execute_in_process(run_config=config, instance=instance, raise_on_error=False)
    sys.exit(0 if result.success else 1)
