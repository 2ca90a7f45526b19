-- Every published name mapped to a stable model identity, per board. A name stands for model_id
-- from valid_from (inclusive) to valid_to (exclusive, null = still stands for it). A name can have
-- several rows when it was renamed away and later came back.
create or replace table model_aliases (
    board_id      smallint not null,  -- the board (boards.board_id); the four columns after it describe it
    source        varchar not null,
    arena         varchar not null,
    category      varchar not null,
    style_control boolean not null,
    model         varchar not null,           -- the name as published
    model_id      varchar not null,           -- the identity's earliest published name on the board
    valid_from    date not null,
    valid_to      date,
    method        varchar not null,           -- first_listed | listed_again | renamed_* (see identity.py)
    primary key (board_id, model, valid_from)
);
