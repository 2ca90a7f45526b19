-- Hard invariant: every row of every data version has exactly one model_id, and no model_id is
-- listed twice in one version of a board (two names of one identity at once would mean a bad
-- rename).
with version_entries as (
    select count(*) as entry_rows
    from v_board_entries
    join data_versions using (source, arena, category, style_control, snapshot_date)
),

duplicates as (
    select board_id, snapshot_date, model_id
    from model_versions
    group by board_id, snapshot_date, model_id
    having count(*) > 1
),

models as (
    select distinct board_id, model_id
    from model_versions
)

select
    (select entry_rows from version_entries) as entry_rows,
    (select count(*) from model_versions) as model_version_rows,
    (select count(*) from duplicates) as duplicated_model_ids,
    (select count(*) from models) as distinct_models
