-- How the CSV source knew the models of a dataset arena ($arena; $csv_arena is the CSV source's
-- same arena): per slug of that arena whose identity (model_identities) has CSV names, the
-- newest CSV name with its newest non-empty link, knowledge cutoff, organization and license.
-- The dataset's pages show these instead of the bare slug (dataset_build.with_display_names).
with linked as (
    select d.model as slug, c.model as csv_model
    from model_identities as d
    join model_identities as c
        on c.model_id = d.model_id
       and c.source = 'fboulnois'
       and c.arena = $csv_arena
    where d.source = 'lmarena_dataset'
      and d.arena = $arena
),

csv_rows as (
    select l.slug, e.snapshot_date, e.model, e.url, e.knowledge_cutoff, e.organization, e.license
    from linked as l
    join leaderboard_entries as e on e.arena = $csv_arena and e.model = l.csv_model
)

select
    slug,
    arg_max(model, snapshot_date) as display_name,
    arg_max(url, snapshot_date) filter (where url is not null and url <> '') as url,
    arg_max(knowledge_cutoff, snapshot_date) filter (where knowledge_cutoff is not null) as knowledge_cutoff,
    arg_max(organization, snapshot_date) filter (where organization is not null and organization <> '') as organization,
    arg_max(license, snapshot_date) filter (where license is not null and license <> '') as license
from csv_rows
group by slug
order by slug
