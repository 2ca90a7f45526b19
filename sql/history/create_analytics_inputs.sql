-- What each board's history rows were last computed from: one row per board (boards.board_id).
-- refresh_analytics recomputes only the boards whose fingerprint changed, and every board when
-- code_fingerprint (the analytics code, SQL and rules) changed; a board whose versions up to
-- newest_version_date still give its fingerprint only gained versions after it, and gets only
-- those appended.
create table if not exists analytics_inputs (
    board_id            smallint primary key,
    fingerprint         varchar not null,    -- the board's data-version rows and rename overrides
    newest_version_date date,                -- the board's newest data version in that fingerprint
    code_fingerprint    varchar not null,    -- analytics code, SQL, rename rules and method-change rules
    computed_at         timestamp not null
)
