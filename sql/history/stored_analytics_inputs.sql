-- The fingerprints stored by the last recompute of each board (no row before the first).
select board_id, fingerprint, code_fingerprint, newest_version_date
from analytics_inputs
