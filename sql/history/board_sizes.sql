-- Rows per board over its loaded days (v_board_snapshots): how analytics.refresh_analytics
-- splits a recompute of many boards into batches of bounded size.
select b.board_id, sum(s.row_count) as row_count
from v_board_snapshots as s
join boards as b using (source, arena, category, style_control)
group by b.board_id
