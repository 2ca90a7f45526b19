-- The rows of each distinct parsed file of a range once (ingest.write_range appends them);
-- file_key = sha256/file name.
create or replace temp table incoming_entries (
    file_key         varchar,
    model            varchar,
    rank_ub          integer,
    rank_stylectrl   integer,
    position         integer,
    score            double,
    ci_plus          integer,
    ci_minus         integer,
    votes            bigint,
    organization     varchar,
    license          varchar,
    knowledge_cutoff varchar,
    url              varchar
)
