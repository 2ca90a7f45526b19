-- One alias row, bound from identity.Alias (analytics.refresh_analytics).
insert into model_aliases (arena, model, model_id, valid_from, valid_to, method)
values ($arena, $model, $model_id, $valid_from, $valid_to, $method)
