-- What happened between two consecutive data versions of a board.
-- event_type: new_model | dropped | returned | delisted | relisted | renamed | new_leader | method_change
create or replace table model_events (
    board_id       smallint not null,  -- the board (boards.board_id); the four columns after it describe it
    source         varchar not null,
    arena          varchar not null,
    category       varchar not null,
    style_control  boolean not null,
    snapshot_date  date not null,             -- the data version where the event is seen
    event_type     varchar not null,
    model_id       varchar,                   -- null for method_change
    model          varchar,                   -- current name (dropped / delisted: the last name listed)
    previous_model varchar,                   -- renamed: old name; new_leader: previous sole leader's name
    details        varchar
);
