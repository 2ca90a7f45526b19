-- Analytics are recomputed from scratch on each refresh (see analytics.py).
delete from model_aliases;
