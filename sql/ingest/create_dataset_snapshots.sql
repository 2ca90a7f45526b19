-- One row per dataset board and publish date loaded (the dataset's counterpart of `snapshots`).
create table if not exists dataset_snapshots (
    source         varchar not null,
    arena          varchar not null,
    category       varchar not null,
    style_control  boolean not null,
    snapshot_date  date not null,
    subset         varchar not null,
    sha256         varchar not null,      -- the parquet file the rows came from (raw_files)
    row_count      integer not null,      -- models loaded
    duplicate_rows integer not null,      -- later rows of a model already listed (not loaded)
    unrated_rows   integer not null,      -- rows without a rating (null or NaN; not loaded)
    data_hash      varchar not null,      -- of the loaded rows: equal hashes = a re-publication
    content_hash   varchar,               -- of every row of the file for this board and date, all columns
    primary key (source, arena, category, style_control, snapshot_date)
);
