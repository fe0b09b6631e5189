"""Rows that belong in a later day's file: a survey answered after midnight, a complaint updated
next week. They wait here until that day's file is written."""

from __future__ import annotations

import numpy as np
import pyarrow as pa


class Deferred:
    def __init__(self) -> None:
        self._waiting: dict[str, list[tuple[np.ndarray, np.ndarray, pa.Table]]] = {}

    def add(self, extract: str, days: np.ndarray, order: np.ndarray, columns: dict[str, pa.Array]) -> None:
        """Rows with their file day and an ordering instant (the file is written in that order)."""
        if len(days):
            self._waiting.setdefault(extract, []).append((np.asarray(days), np.asarray(order), pa.table(columns)))

    def due(self, extract: str, day: int) -> pa.Table | None:
        """The rows for `day`'s file, in order; rows for earlier days cannot be delivered any more."""
        taken, kept = [], []
        for days, order, table in self._waiting.get(extract, []):
            now = days == day
            if now.any():
                taken.append((order[now], table.filter(pa.array(now))))
            later = days > day
            if later.any():
                kept.append((days[later], order[later], table.filter(pa.array(later))))
        self._waiting[extract] = kept
        if not taken:
            return None
        order = np.concatenate([o for o, _ in taken])
        table = pa.concat_tables([t for _, t in taken])
        return table.take(pa.array(np.argsort(order, kind="stable")))
