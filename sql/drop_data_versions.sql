-- Analytics are derived data, rebuilt from scratch on each refresh (see analytics.py);
-- dropping also lets the table's columns change between releases of this project.
drop table if exists data_versions;
