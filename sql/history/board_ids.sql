-- Every board with its key (history/boards.py maps the Python side's boards to board_id).
select board_id, source, arena, category, style_control
from boards
order by board_id
