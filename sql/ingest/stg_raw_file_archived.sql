-- Whether raw_files already holds this content (then it is kept as first seen).
select count(*) > 0 as archived
from raw_files
where sha256 = $sha256
