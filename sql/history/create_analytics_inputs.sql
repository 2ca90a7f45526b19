-- The fingerprint of the inputs the history tables were last computed from (at most one row).
create table if not exists analytics_inputs (
    singleton boolean primary key default true check (singleton),
    fingerprint varchar not null,
    computed_at timestamp not null
)
