-- Soft invariant: a data version listing far fewer models than the previous one of its board
-- deserves a look (an upstream clean-up of its listing can remove a large share on purpose: see
-- the listing kinds). Parameter: $max_drop_share (0.2 = warn when more than 20% of the rows disappear).
select
    cur.source,
    cur.arena,
    cur.category,
    cur.style_control,
    cur.snapshot_date,
    prev.row_count as previous_rows,
    cur.row_count as rows_now
from data_versions as cur
join data_versions as prev
    on prev.board_id = cur.board_id
    and prev.snapshot_date = cur.previous_date
where cur.row_count < (1 - $max_drop_share) * prev.row_count
order by cur.source, cur.arena, cur.category, cur.style_control, cur.snapshot_date
