"""Reusable code of the orchestration package; no Dagster definitions live here."""
