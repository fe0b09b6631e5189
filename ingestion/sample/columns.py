"""Turning the generator's integer codes into the text columns of the extracts."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.sample.clock import NOT_SET

TRUE_FALSE = ("false", "true")


def labels(values: tuple[str | None, ...], codes: np.ndarray) -> pa.Array:
    """Labels from integer codes; a None label leaves the value empty."""
    return pc.take(pa.array(values, type=pa.string()), pa.array(np.asarray(codes, dtype=np.int64)))


def booleans(flags: np.ndarray, words: tuple[str, str] = TRUE_FALSE) -> pa.Array:
    return labels(words, np.asarray(flags).astype(np.int64))


def identifiers(prefix: str, numbers: np.ndarray) -> pa.Array:
    """`prefix` followed by the number, e.g. C202608010000042."""
    return pc.binary_join_element_wise(prefix, pc.cast(pa.array(np.asarray(numbers, dtype=np.int64)), pa.string()), "")


def call_ids(call_numbers: np.ndarray) -> pa.Array:
    return identifiers("C", call_numbers)


def staff_ids(agent_id: np.ndarray, persons: np.ndarray) -> pa.Array:
    """Agent ids of staff members by index; empty where the index is NOT_SET."""
    persons = np.asarray(persons, dtype=np.int64)
    return pa.array(agent_id[np.maximum(persons, 0)], mask=persons == NOT_SET, type=pa.string())


def day_sequence_numbers(date_number: int, count: int, digits: int) -> np.ndarray:
    """yyyymmdd followed by a running number of `digits` digits: 1, 2, 3, ..."""
    return date_number * 10**digits + np.arange(1, count + 1, dtype=np.int64)
