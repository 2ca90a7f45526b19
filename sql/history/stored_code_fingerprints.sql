-- The code fingerprints the stored boards were computed with (analytics.analytics_code_current).
select distinct code_fingerprint
from analytics_inputs
