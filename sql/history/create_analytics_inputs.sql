-- What each board's history rows were last computed from: one row per board (source, arena,
-- category, style_control). refresh_analytics recomputes only the boards whose fingerprint
-- changed, and every board when code_fingerprint (the analytics code, SQL and rules) changed;
-- a board whose versions up to newest_version_date still give its fingerprint only gained
-- versions after it, and gets only those appended.
create table if not exists analytics_inputs (
    source              varchar not null,
    arena               varchar not null,
    category            varchar not null,
    style_control       boolean not null,
    fingerprint         varchar not null,    -- the board's data-version rows and rename overrides
    newest_version_date date,                -- the board's newest data version in that fingerprint
    code_fingerprint    varchar not null,    -- analytics code, SQL, rename rules and method-change rules
    computed_at         timestamp not null,
    primary key (source, arena, category, style_control)
)
