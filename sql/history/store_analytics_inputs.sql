-- Remember what the history tables were just computed from (refresh_analytics, in its transaction).
insert or replace into analytics_inputs (singleton, fingerprint, computed_at)
values (true, $fingerprint, $computed_at)
