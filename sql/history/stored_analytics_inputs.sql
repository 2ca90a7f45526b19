-- The fingerprints stored by the last recompute of each board (no row before the first).
select source, arena, category, style_control, fingerprint, code_fingerprint, newest_version_date
from analytics_inputs
