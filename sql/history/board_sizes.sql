-- The rows each board's recompute reads from its loaded days (v_board_snapshots): every day of a
-- board recomputed whole, only the days after appended_after of a board appended to. How
-- analytics.refresh_analytics splits the boards to compute into batches of bounded size (an
-- appended date of every board is one batch, not one per 300k rows of history).
with wanted as (
    select unnest($board_id) as board_id, unnest($appended_after) as appended_after
)

select b.board_id, sum(s.row_count) as row_count
from v_board_snapshots as s
join boards as b using (source, arena, category, style_control)
join wanted as w using (board_id)
where w.appended_after is null or s.snapshot_date > w.appended_after
group by b.board_id
