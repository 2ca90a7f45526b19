-- The cross-source linker's names (cross_source.py): every published name of each source's
-- arena, with each identity the rename rule gave it (board label and model_id, tab-separated:
-- names sharing one are one model) and its newest non-empty link.
with identities as (
    select
        source,
        arena,
        model,
        list(distinct concat_ws('/', source, arena, category, case when style_control then 'style_control' end)
            || chr(9) || model_id) as board_model_ids
    from model_aliases
    group by source, arena, model
),

links as (
    select source, arena, model, arg_max(url, snapshot_date) as url
    from v_board_entries
    where url is not null and url <> ''
    group by source, arena, model
)

select i.source, i.arena, i.model, i.board_model_ids, l.url
from identities as i
left join links as l using (source, arena, model)
order by i.source, i.arena, i.model
