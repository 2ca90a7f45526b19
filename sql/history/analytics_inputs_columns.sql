-- Whether analytics_inputs has this release's shape (a board_id per row, with its newest data
-- version); an older database's table is dropped by refresh_analytics before creating the new one.
select
    count(*) > 0
    and (count(*) filter (where column_name = 'board_id') = 0
         or count(*) filter (where column_name = 'newest_version_date') = 0) as outdated
from information_schema.columns
where table_schema = current_schema() and table_name = 'analytics_inputs'
