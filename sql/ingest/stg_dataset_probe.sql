-- No rows: only the file's column names and types (cursor description).
select * from read_parquet($path) limit 0  -- noqa: AM04, AM09
