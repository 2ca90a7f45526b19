-- The last batch's rows are not kept past the refresh (history/create_board_rows.sql).
drop table if exists board_rows
