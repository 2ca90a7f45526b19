-- The cross-source identity of every name of a board's source and arena (model_identities):
-- the `all` feed tells an event that both sources report once.
select model, model_id
from model_identities
where source = $source and arena = $arena
