"""A few broken rows, as real exports have, so that the loader's quarantine has work to do.

About three rows in a thousand of the larger extracts break one contract rule each: a timestamp
that does not parse, a negative duration, an unknown enum value, an empty required value, an end
before its start, or (calls) a call_id already delivered on an earlier day. However small a file,
the broken rows stay below 1% of each extract's rows of the month, well under the 2% at which a
month is blocked from publication.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DEFECT_RATE = 0.003
MONTHLY_CEILING = 0.01

# Per extract: (kind, column[, second column]). Each defective row breaks exactly one of them.
MENUS: dict[str, tuple[tuple[str, ...], ...]] = {
    "calls": (
        ("reversed", "enqueued_at", "ended_at"),
        ("unparseable", "enqueued_at"),
        ("unparseable", "ended_at"),
        ("negative", "talk_seconds"),
        ("unknown", "outcome"),
        ("unknown", "direction"),
        ("empty", "queue"),
        ("empty", "enqueued_at"),
        ("repeated_id", "call_id"),
    ),
    "sessions": (("reversed", "login_at", "logout_at"), ("unparseable", "login_at"), ("empty", "agent_id")),
    "states": (
        ("reversed", "started_at", "ended_at"),
        ("unknown", "state"),
        ("unparseable", "started_at"),
        ("empty", "agent_id"),
    ),
    "evaluations": (("unparseable", "evaluated_at"), ("unknown", "mode"), ("empty", "evaluator_id")),
    "surveys": (("unparseable", "responded_at"), ("empty", "agent_id"), ("empty", "score")),
    "complaints": (("unparseable", "received_at"), ("unknown", "channel"), ("empty", "received_at")),
    "schedules": (("unparseable_date", "shift_date"), ("unparseable_time", "shift_start"), ("empty", "agent_id")),
}
_UNPARSEABLE = {
    "unparseable": ("2026-13-01 09:00:00", "31/08/2026 10:15", "N/A", "2026-02-30 11:20:00", "0000-00-00 00:00:00"),
    "unparseable_date": ("2026-02-30", "31.08.2026", "N/A"),
    "unparseable_time": ("8:3O", "25:00", "早班"),
}
_UNKNOWN = {
    "outcome": ("dropped", "voicemail"),
    "direction": ("internal",),
    "state": ("lunch", "idle", "away"),
    "mode": ("spot_check",),
    "channel": ("wechat", "weibo"),
}
_KIND_ORDER = (
    "reversed",
    "repeated_id",
    "negative",
    "unknown",
    "unparseable",
    "unparseable_date",
    "unparseable_time",
    "empty",
)
"""`reversed` reads the start column, so it runs before anything turns a column into text."""


class DefectBudget:
    """Counts each extract's rows and broken rows of the current month."""

    def __init__(self) -> None:
        self._rows: dict[str, int] = {}
        self._broken: dict[str, int] = {}

    def start_month(self) -> None:
        self._rows.clear()
        self._broken.clear()

    def draw(self, extract: str, rows: int, rng: np.random.Generator) -> int:
        """How many of a file's `rows` to break."""
        total = self._rows.get(extract, 0) + rows
        broken = self._broken.get(extract, 0)
        count = min(int(rng.binomial(rows, DEFECT_RATE)) if rows else 0, int(MONTHLY_CEILING * total) - broken)
        count = max(count, 0)
        self._rows[extract] = total
        self._broken[extract] = broken + count
        return count


def pick_rows(candidates: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    return np.sort(rng.choice(candidates, size=min(count, len(candidates)), replace=False))


def spoil(
    extract: str,
    columns: dict[str, pa.Array],
    rows: np.ndarray,
    rng: np.random.Generator,
    earlier_ids: np.ndarray | None = None,
) -> dict[str, pa.Array]:
    """Break one rule in each of `rows` (sorted), chosen from the extract's menu."""
    if len(rows) == 0:
        return columns
    menu = MENUS[extract]
    choice = rng.integers(0, len(menu), len(rows))
    if earlier_ids is None or len(earlier_ids) == 0:
        choice = np.where(np.array([m[0] for m in menu])[choice] == "repeated_id", 0, choice)
    columns = dict(columns)
    for kind in _KIND_ORDER:
        for entry, defect in enumerate(menu):
            if defect[0] != kind:
                continue
            hit = rows[choice == entry]
            if len(hit):
                _apply(columns, defect, hit, rng, earlier_ids)
    return columns


def _apply(columns, defect, hit, rng, earlier_ids) -> None:
    kind, name = defect[0], defect[1]
    mask = np.zeros(len(columns[name]), dtype=bool)
    mask[hit] = True
    if kind == "reversed":
        start = columns[name].take(pa.array(hit)).cast(pa.int64()).to_numpy()
        earlier = (start - rng.integers(1, 600, len(hit))).astype("datetime64[s]")
        end = defect[2]
        columns[end] = pc.replace_with_mask(columns[end], pa.array(mask), pa.array(earlier, type=columns[end].type))
        return
    if kind == "empty":
        columns[name] = pc.replace_with_mask(columns[name], pa.array(mask), pa.nulls(len(hit), columns[name].type))
        return
    if kind == "negative":
        values = [str(-(int(v) + 1)) for v in columns[name].take(pa.array(hit)).to_pylist()]
    elif kind == "repeated_id":
        values = list(rng.choice(earlier_ids, size=len(hit), replace=len(hit) > len(earlier_ids)))
    elif kind == "unknown":
        values = list(rng.choice(_UNKNOWN[name], size=len(hit)))
    else:
        values = list(rng.choice(_UNPARSEABLE[kind], size=len(hit)))
    text = columns[name].cast(pa.string())
    columns[name] = pc.replace_with_mask(text, pa.array(mask), pa.array([str(v) for v in values], type=pa.string()))
