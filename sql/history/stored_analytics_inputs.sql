-- The fingerprint stored by the last recompute of the history tables (no row before the first).
select fingerprint
from analytics_inputs
