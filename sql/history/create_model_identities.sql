-- One identity per model and arena across both sources: every published name of each source's
-- arena under model_id (cross_source.py). A linked model's id is its dataset id (a slug); a model
-- of one source keeps that source's id (model_aliases.model_id). The CSV source's image arena
-- is the dataset's text_to_image.
create or replace table model_identities (
    model_id  varchar not null,           -- the identity, one per model and arena across sources
    source    varchar not null,           -- fboulnois | lmarena_dataset
    arena     varchar not null,           -- the source's own arena name
    model     varchar not null,           -- the name as published
    linked_by varchar,                    -- map | numbers | link_slug | name; null: one source only
    primary key (source, arena, model)
);
