"""History: boards, model identities, data versions, movements and events, computed by the
SQL in sql/history and sql/views."""
