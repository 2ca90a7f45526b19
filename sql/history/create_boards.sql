-- The board dimension: one row per board (source, arena, category, style_control) either source
-- ever loaded (v_board_snapshots), and the one key every history table references it by. A
-- board keeps its board_id for good: new boards get the next numbers, nothing is renumbered, so
-- stored history rows never change key. The names and headline flags come from
-- config/board_titles.csv and config/headline_boards.csv (history/boards.py), refreshed each run.
create table if not exists boards (
    board_id              smallint primary key,  -- 1, 2, ... in the order boards were first loaded
    source                varchar not null,      -- fboulnois (the CSV files) | lmarena_dataset
    arena                 varchar not null,
    category              varchar not null,      -- overall for the CSV source
    style_control         boolean not null,      -- false for the CSV source
    title_zh              varchar not null,      -- 文本, 文本 · 中文提示词, 文本 · 风格控制, ...
    style_control_twin_id smallint,              -- the board that differs only in style_control; null when none is loaded
    is_headline           boolean not null       -- one of config/headline_boards.csv
)
