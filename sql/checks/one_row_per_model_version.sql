-- Hard invariant: every row of every data version has exactly one model_id, and no model_id is
-- listed twice in one version (two names of one identity at once would mean a bad rename).
with version_entries as (
    select count(*) as entry_rows
    from leaderboard_entries
    join data_versions using (arena, snapshot_date)
),

duplicates as (
    select arena, snapshot_date, model_id
    from model_versions
    group by arena, snapshot_date, model_id
    having count(*) > 1
)

select
    (select entry_rows from version_entries) as entry_rows,
    (select count(*) from model_versions) as model_version_rows,
    (select count(*) from duplicates) as duplicated_model_ids,
    (select count(distinct arena || '/' || model_id) from model_versions) as distinct_models
