-- Whether analytics_inputs has this release's shape (a board per row); an older database has a
-- single-row table, which refresh_analytics drops before creating the new one.
select count(*) filter (where column_name = 'code_fingerprint') = 0 and count(*) > 0 as outdated
from information_schema.columns
where table_schema = current_schema() and table_name = 'analytics_inputs'
