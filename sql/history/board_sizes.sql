-- Rows per board over its loaded days (v_board_snapshots): how analytics.refresh_analytics
-- splits a recompute of many boards into batches of bounded size.
select source, arena, category, style_control, sum(row_count) as row_count
from v_board_snapshots
group by source, arena, category, style_control
