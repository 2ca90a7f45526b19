"""Thin Dagster wrappers by role: partitions, resources, ingest / analytics / report assets,
checks, job, schedule and sensors."""

import warnings

import dagster as dg

# `backfill_policy` is flagged beta in this Dagster version, and Dagster has no other way to make
# a UI backfill of many days one run (one run per day costs ~3 s of start-up each). We rely on
# it knowingly: silence exactly this warning, so that every other one still shows.
warnings.filterwarnings(
    "ignore", message=r"Parameter `backfill_policy` of function `\w+` is currently in beta",
    category=dg.BetaWarning,
)
