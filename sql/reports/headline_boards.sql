-- The headline boards (config/headline_boards.csv): the ones whose every event is news.
select source, arena, category, style_control
from boards
where is_headline
order by board_id
