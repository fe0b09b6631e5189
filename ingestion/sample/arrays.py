"""Vectorised helpers over runs of rows that belong together (one agent, one segment)."""

from __future__ import annotations

import numpy as np


def rank_within(sorted_groups: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within each run of equal values of a sorted array."""
    if len(sorted_groups) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], sorted_groups[1:] != sorted_groups[:-1]]))
    run_lengths = np.diff(np.concatenate([starts, [len(sorted_groups)]]))
    return np.arange(len(sorted_groups)) - np.repeat(starts, run_lengths)


def exclusive_cumsum(values: np.ndarray, group: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Running total within each contiguous group, before each element; `first` is the index of
    each group's first element."""
    running = np.cumsum(values)
    before_group = running[first] - values[first]
    return running - values - before_group[group]
