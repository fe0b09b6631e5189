"""An agent's day on the ACD: login sessions, the states that tile them, and the call slots.

Each present agent's day is laid out for all agents at once. Fixed blocks come first (lunch,
short breaks, meetings, training, 示忙 busy spells); the free time between them is filled with
cycles of `available` gap, `on_call` and `wrap`, one cycle per handled call leg. Idle gaps are
shorter when the offered load is high, so answered calls follow the intraday curve. A cycle that
would run into the next block is not started: the agent stays available until the block begins.
The states therefore cover every logged-in second exactly once, and every call is handled by an
agent who is logged in and in `on_call` at that moment.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ingestion.contract import STATES
from ingestion.sample.arrays import exclusive_cumsum
from ingestion.sample.clock import DAY, MINUTE, NOT_SET, clock
from ingestion.sample.handling import (
    INBOUND,
    OUTBOUND,
    TECHNICAL,
    TRANSFER_IN,
    Work,
    draw_work,
)
from ingestion.sample.intraday import LINES_CLOSE, LINES_OPEN, load, mean_inverse_load

STATE_NAMES = STATES.column("state").values
AVAILABLE, ON_CALL, WRAP, BUSY, BREAK, MEETING, TRAINING = (
    STATE_NAMES.index(s) for s in ("available", "on_call", "wrap", "busy", "break", "meeting", "training")
)
REASONS = (
    "",
    "午餐",
    "休息",
    "班前会",
    "团队会议",
    "业务培训",
    "系统培训",
    "处理工单",
    "临时离席",
    "系统故障",
    "请示组长",
)
_REASON = {reason: code for code, reason in enumerate(REASONS)}

MEAN_IDLE_GAP_SECONDS = 140.0
"""Average `available` wait between two calls, over the day."""
LOAD_SENSITIVITY = 2.0
"""Idle gaps shrink with the offered load to this power: agents sit idle off-peak, not at peaks."""
FIRST_LINE_OUTBOUND_SHARE = 0.11
SECOND_LINE_KIND_SHARES = {TRANSFER_IN: 0.6, TECHNICAL: 0.3, OUTBOUND: 0.1}
BUSY_SPELLS_PER_DAY = 1.6
LONG_BUSY_SHARE = 0.03
"""示忙 spells that run past the 15-minute limit."""

_SHORTEST_MEAN_CYCLE = 150
# What an occupied interval is: a marker of the day's ends, logged out over lunch (no state), idle
# outside the opening hours (available), a planned block (its state), or call handling.
_MARKER, _LOGGED_OUT, _IDLE, _BLOCK, _CALL_WORK = range(5)


@dataclass
class PresentAgents:
    """The agents logged in today (one row each), with their day as attendance planned it."""

    person: np.ndarray
    second_line: np.ndarray
    skill: np.ndarray
    login: np.ndarray
    logout: np.ndarray
    lunch_start: np.ndarray
    lunch_end: np.ndarray
    split: np.ndarray


@dataclass
class Slots:
    """One row per call leg an agent handles: who, what kind, when the line connected."""

    person: np.ndarray
    kind: np.ndarray
    start: np.ndarray
    work: Work


@dataclass
class DayTimeline:
    session_person: np.ndarray
    session_login: np.ndarray
    session_logout: np.ndarray
    state_person: np.ndarray
    state: np.ndarray
    state_reason: np.ndarray
    state_start: np.ndarray
    state_end: np.ndarray
    slots: Slots


@dataclass
class _Intervals:
    row: np.ndarray
    start: np.ndarray
    end: np.ndarray
    kind: np.ndarray
    state: np.ndarray
    reason: np.ndarray

    @classmethod
    def of(cls, row, start, end, kind, state=AVAILABLE, reason=0) -> _Intervals:
        count = len(row)
        return cls(
            np.asarray(row, dtype=np.int64),
            np.asarray(start, dtype=np.int64),
            np.asarray(end, dtype=np.int64),
            np.full(count, kind, dtype=np.int8),
            np.broadcast_to(np.asarray(state, dtype=np.int8), count),
            np.broadcast_to(np.asarray(reason, dtype=np.int8), count),
        )

    @classmethod
    def concat(cls, parts: list[_Intervals]) -> _Intervals:
        return cls(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)))

    def take(self, index: np.ndarray) -> _Intervals:
        return _Intervals(*(getattr(self, f.name)[index] for f in fields(self)))


def lay_out_day(day: int, agents: PresentAgents, rng: np.random.Generator) -> DayTimeline:
    rows = np.arange(len(agents.person))
    window_start = np.maximum(agents.login, day * DAY + LINES_OPEN)
    window_end = np.minimum(agents.logout, day * DAY + LINES_CLOSE)
    has_lunch = (agents.lunch_start >= window_start + MINUTE) & (agents.lunch_end <= window_end - MINUTE)
    split = agents.split & has_lunch
    occupied = _occupied(rows, agents, has_lunch, split, window_start, window_end, rng)
    order = np.lexsort((occupied.end, occupied.start, occupied.row))
    occupied = occupied.take(order)

    same_agent = occupied.row[1:] == occupied.row[:-1]
    assert np.all(occupied.start[1:][same_agent] >= occupied.end[:-1][same_agent]), "blocks overlap"
    free = same_agent & (occupied.start[1:] > occupied.end[:-1])
    segment_row = occupied.row[:-1][free]
    segment_start, segment_end = occupied.end[:-1][free], occupied.start[1:][free]

    cycles = _cycles(segment_row, segment_start, segment_end, agents, rng)
    connected_end = cycles.connect + cycles.work.connected
    states = _Intervals.concat(
        [
            occupied.take(np.flatnonzero(occupied.kind >= _IDLE)),
            _Intervals.of(cycles.row, cycles.start, cycles.connect, _CALL_WORK, AVAILABLE),
            _Intervals.of(cycles.row, cycles.connect, connected_end, _CALL_WORK, ON_CALL),
            _Intervals.of(cycles.row, connected_end, cycles.connect + cycles.work.total, _CALL_WORK, WRAP),
            _Intervals.of(segment_row, cycles.segment_last_end, segment_end, _IDLE),
        ]
    )
    states = states.take(np.flatnonzero(states.end > states.start))
    order = np.lexsort((states.start, agents.person[states.row]))

    session_row = np.concatenate([rows, rows[split]])
    session_login = np.concatenate([agents.login, agents.lunch_end[split]])
    session_logout = np.concatenate([np.where(split, agents.lunch_start, agents.logout), agents.logout[split]])
    session_order = np.lexsort((session_login, agents.person[session_row]))
    return DayTimeline(
        session_person=agents.person[session_row][session_order],
        session_login=session_login[session_order],
        session_logout=session_logout[session_order],
        state_person=agents.person[states.row[order]],
        state=states.state[order],
        state_reason=states.reason[order],
        state_start=states.start[order],
        state_end=states.end[order],
        slots=Slots(person=agents.person[cycles.row], kind=cycles.kind, start=cycles.connect, work=cycles.work),
    )


def _occupied(rows, agents, has_lunch, split, window_start, window_end, rng) -> _Intervals:
    """Everything in the agents' day that is not call handling, plus markers of its two ends."""
    lunch_start = np.where(has_lunch, agents.lunch_start, NOT_SET)
    lunch_end = np.where(has_lunch, agents.lunch_end, NOT_SET)
    blocks = _block_candidates(rows, agents, window_start, window_end, rng)
    inside = (blocks.start >= window_start[blocks.row] + MINUTE) & (blocks.end <= window_end[blocks.row] - MINUTE)
    clear_of_lunch = (blocks.end <= lunch_start[blocks.row]) | (blocks.start >= lunch_end[blocks.row])
    blocks = blocks.take(np.flatnonzero(inside & clear_of_lunch))
    blocks = blocks.take(_without_overlaps(blocks))
    before_open, after_close = agents.login < window_start, agents.logout > window_end
    lunch = has_lunch & ~split
    return _Intervals.concat(
        [
            _Intervals.of(rows, agents.login, agents.login, _MARKER),
            _Intervals.of(rows, agents.logout, agents.logout, _MARKER),
            _Intervals.of(rows[before_open], agents.login[before_open], window_start[before_open], _IDLE),
            _Intervals.of(rows[after_close], window_end[after_close], agents.logout[after_close], _IDLE),
            _Intervals.of(rows[split], lunch_start[split], lunch_end[split], _LOGGED_OUT),
            _Intervals.of(rows[lunch], lunch_start[lunch], lunch_end[lunch], _BLOCK, BREAK, _REASON["午餐"]),
            blocks,
        ]
    )


def _block_candidates(rows, agents, window_start, window_end, rng) -> _Intervals:
    count = len(rows)
    day_start = (agents.login // DAY) * DAY

    def spells(share, earliest, spread_minutes, shortest, longest, state, reasons):
        chosen = rows[rng.random(count) < share]
        start = day_start[chosen] + earliest + (rng.uniform(0, spread_minutes, len(chosen)) * MINUTE).astype(np.int64)
        length = (rng.uniform(shortest, longest, len(chosen)) * MINUTE).astype(np.int64)
        reason = np.array([_REASON[r] for r in reasons])[rng.integers(0, len(reasons), len(chosen))]
        return _Intervals.of(chosen, start, start + length, _BLOCK, state, reason)

    busy_count = rng.poisson(BUSY_SPELLS_PER_DAY, count)
    busy_row = np.repeat(rows, busy_count)
    span = np.maximum(window_end - window_start, 1)[busy_row]
    busy_start = window_start[busy_row] + (rng.random(len(busy_row)) * span).astype(np.int64)
    busy_length = np.where(
        rng.random(len(busy_row)) < LONG_BUSY_SHARE,
        rng.uniform(16, 40, len(busy_row)) * MINUTE,
        np.clip(rng.lognormal(np.log(240), 0.7, len(busy_row)), 30, 14 * MINUTE),
    ).astype(np.int64)
    busy_reasons = np.array([_REASON[r] for r in ("", "处理工单", "临时离席", "系统故障", "请示组长")])
    busy = _Intervals.of(
        busy_row,
        busy_start,
        busy_start + busy_length,
        _BLOCK,
        BUSY,
        busy_reasons[rng.integers(0, len(busy_reasons), len(busy_row))],
    )
    return _Intervals.concat(
        [
            spells(0.7, clock(11), 30, 8, 15, BREAK, ("休息",)),
            spells(0.7, clock(16), 40, 8, 15, BREAK, ("休息", "")),
            spells(0.08, clock(8, 35), 15, 15, 30, MEETING, ("班前会",)),
            spells(0.07, clock(16, 15), 30, 20, 45, MEETING, ("团队会议",)),
            spells(0.06, clock(13, 30), 90, 45, 120, TRAINING, ("业务培训", "系统培训")),
            busy,
        ]
    )


def _without_overlaps(blocks: _Intervals) -> np.ndarray:
    """Indices of the blocks that start after every earlier block of the same agent has ended: of
    two clashing plans, the earlier one happens."""
    order = np.lexsort((blocks.start, blocks.row))
    if len(order) == 0:
        return order
    row, start, end = blocks.row[order], blocks.start[order], blocks.end[order]
    # Lifting each agent's instants above the previous agent's lets one running maximum serve all.
    lift = row * (int(end.max()) + 1)
    latest_end = np.maximum.accumulate(end + lift) - lift
    previous_end = np.concatenate([[np.iinfo(np.int64).min], latest_end[:-1]])
    first_of_agent = np.concatenate([[True], row[1:] != row[:-1]])
    return order[first_of_agent | (start >= previous_end)]


@dataclass
class _Cycles:
    """The kept gap + call + wrap cycles, and where each free segment's last cycle ended."""

    row: np.ndarray
    kind: np.ndarray
    start: np.ndarray
    connect: np.ndarray
    work: Work
    segment_last_end: np.ndarray


def _cycles(segment_row, segment_start, segment_end, agents, rng) -> _Cycles:
    """Fill each free segment with gap + call + wrap cycles; keep those that end inside it."""
    segment_count = len(segment_row)
    per_segment = (segment_end - segment_start) // _SHORTEST_MEAN_CYCLE + 3
    first = np.concatenate([[0], np.cumsum(per_segment)[:-1]]).astype(np.int64)
    segment = np.repeat(np.arange(segment_count), per_segment)
    row = segment_row[segment]
    kind = _kinds(agents.second_line[row], rng)
    work = draw_work(kind, agents.skill[row], rng)

    # Two passes: place the cycles with the average gap to learn roughly when each one happens,
    # then size each gap by the load at that moment.
    unit_gap = rng.exponential(1.0, len(segment))
    gap_scale = MEAN_IDLE_GAP_SECONDS / mean_inverse_load(LOAD_SENSITIVITY)
    nominal = work.total + unit_gap * MEAN_IDLE_GAP_SECONDS
    approximate_start = segment_start[segment] + exclusive_cumsum(nominal, segment, first)
    gap = np.rint(unit_gap * gap_scale / load(approximate_start) ** LOAD_SENSITIVITY).astype(np.int64)
    cycle_start = segment_start[segment] + exclusive_cumsum(gap + work.total, segment, first)
    cycle_end = cycle_start + gap + work.total
    kept = cycle_end <= segment_end[segment]

    kept_per_segment = np.bincount(segment[kept], minlength=segment_count)
    last_end = np.where(kept_per_segment > 0, cycle_end[first + kept_per_segment - 1], segment_start)
    return _Cycles(
        row=row[kept],
        kind=kind[kept],
        start=cycle_start[kept],
        connect=(cycle_start + gap)[kept],
        work=Work(*(getattr(work, f.name)[kept] for f in fields(Work))),
        segment_last_end=last_end,
    )


def _kinds(second_line: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    count = len(second_line)
    first_line_kind = np.where(rng.random(count) < FIRST_LINE_OUTBOUND_SHARE, OUTBOUND, INBOUND)
    kinds, shares = zip(*SECOND_LINE_KIND_SHARES.items())
    second_line_kind = np.array(kinds)[rng.choice(len(kinds), size=count, p=shares)]
    return np.where(second_line, second_line_kind, first_line_kind).astype(np.int64)
