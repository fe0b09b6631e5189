"""A day's call legs, as the ACD exports them, built from the agents' call slots.

Every answered leg sits in an agent's `on_call` state. Inbound legs waited a few seconds in the
queue (longer at the peaks); some offered calls are abandoned before anyone answers; a first-line
call handed to the second line shows up as a second leg whose parent is the first. Outbound legs
are call-backs owed to earlier callers or follow-ups (回访), some of which nobody answers.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingestion.sample import clock
from ingestion.sample.clock import DAY, NOT_SET
from ingestion.sample.columns import call_ids, day_sequence_numbers, labels, staff_ids
from ingestion.sample.customers import (
    ABANDONED,
    CALLBACK_REQUIRED,
    NO_ANSWER,
    OUTCOMES,
    RESOLVED,
    TRANSFERRED,
    UNRESOLVED,
    CustomerBook,
)
from ingestion.sample.handling import INBOUND, OUTBOUND, TRANSFER_IN
from ingestion.sample.identities import mobile_numbers
from ingestion.sample.intraday import LINES_OPEN, load, sample_arrivals
from ingestion.sample.roster import Staff
from ingestion.sample.timeline import Slots

INBOUND_DIRECTION, OUTBOUND_DIRECTION = 0, 1
DIRECTIONS = ("inbound", "outbound")
QUEUES = ("consult", "billing", "repair", "technical", "callback", "follow_up")
CONSULT, BILLING, REPAIR, TECHNICAL_QUEUE, CALLBACK_QUEUE, FOLLOW_UP_QUEUE = range(len(QUEUES))
_FIRST_LINE_QUEUE_SHARES = (0.55, 0.28, 0.17)

ABANDON_SHARE = 0.05
"""Offered calls that hang up in the queue."""
SAME_DAY_REDIAL_SHARE = 0.4
"""Callers who hung up in the queue and got through later the same day."""
TRANSFER_WAIT_SECONDS = (3, 90)
"""A transferred leg is picked up by the second line this long after the first leg ended."""
_CALL_NUMBER_DIGITS = 7


@dataclass
class CallLegs:
    """One day's legs, in export order (by enqueued_at)."""

    call_number: np.ndarray
    parent: np.ndarray
    """Row of the leg this one was transferred from; NOT_SET otherwise."""
    direction: np.ndarray
    queue: np.ndarray
    customer: np.ndarray
    person: np.ndarray
    enqueued: np.ndarray
    answered: np.ndarray
    ended: np.ndarray
    talk: np.ndarray
    hold: np.ndarray
    wrap: np.ndarray
    outcome: np.ndarray

    def __len__(self) -> int:
        return len(self.call_number)

    @classmethod
    def none(cls) -> CallLegs:
        """A day without calls."""
        return cls(*(np.zeros(0, dtype=np.int64) for _ in fields(cls)))

    @classmethod
    def concat(cls, parts: list[CallLegs]) -> CallLegs:
        return cls(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)))

    @property
    def call_ids(self) -> pa.Array:
        return call_ids(self.call_number)

    def table(self, staff: Staff) -> dict[str, pa.Array]:
        ids = self.call_ids
        has_parent = self.parent != NOT_SET
        return {
            "call_id": ids,
            "parent_call_id": pc.take(ids, pa.array(np.where(has_parent, self.parent, 0), mask=~has_parent)),
            "direction": labels(DIRECTIONS, self.direction),
            "queue": labels(QUEUES, self.queue),
            "customer_number": pc.cast(pa.array(mobile_numbers(self.customer)), pa.string()),
            "agent_id": staff_ids(staff.agent_id, self.person),
            "enqueued_at": clock.timestamps(self.enqueued),
            "answered_at": clock.timestamps(self.answered),
            "ended_at": clock.timestamps(self.ended),
            "talk_seconds": pa.array(self.talk),
            "hold_seconds": pa.array(self.hold),
            "wrap_seconds": pa.array(self.wrap),
            "outcome": labels(OUTCOMES, self.outcome),
        }


def build_calls(
    day: int, slots: Slots, second_line: np.ndarray, skill: np.ndarray, book: CustomerBook, rng: np.random.Generator
) -> CallLegs:
    """`second_line` and `skill` are per slot: the handling agent's tier and ability."""
    work = slots.work
    count = len(slots.person)
    kind = slots.kind
    connected_end = slots.start + work.connected

    parent = _match_transfers(slots.start, kind == TRANSFER_IN, connected_end, kind == INBOUND)
    transferred_in = parent != NOT_SET
    outbound = kind == OUTBOUND
    queued = ~outbound & ~transferred_in
    enqueued = np.where(queued, slots.start - _queue_waits(slots.start, rng), slots.start)
    enqueued = np.where(queued, np.maximum(enqueued, np.minimum(slots.start, day * DAY + LINES_OPEN)), enqueued)
    enqueued = np.where(transferred_in, connected_end[np.maximum(parent, 0)], enqueued)
    outcome = _outcomes(kind, second_line, skill, work.answered, rng)
    outcome[parent[transferred_in]] = TRANSFERRED
    handled = CallLegs(
        call_number=np.full(count, NOT_SET, dtype=np.int64),
        parent=parent,
        direction=np.where(outbound, OUTBOUND_DIRECTION, INBOUND_DIRECTION),
        queue=np.where(second_line & ~outbound, TECHNICAL_QUEUE, rng.choice(3, size=count, p=_FIRST_LINE_QUEUE_SHARES)),
        customer=np.full(count, NOT_SET, dtype=np.int64),
        person=slots.person,
        enqueued=enqueued,
        answered=np.where(outbound, np.where(work.answered, slots.start + work.ring, NOT_SET), slots.start),
        ended=connected_end,
        talk=work.talk,
        hold=work.hold,
        wrap=work.wrap,
        outcome=outcome,
    )
    legs = CallLegs.concat([handled, _abandoned(day, int(queued.sum()), rng)])
    offered = np.concatenate([queued, np.ones(len(legs) - count, dtype=bool)])
    _assign_customers(day, legs, offered, book, rng)
    book.remember(day, legs.customer[offered], legs.outcome[offered])
    owed = legs.outcome == CALLBACK_REQUIRED
    book.owe_callbacks(day, legs.customer[owed], legs.person[owed])
    return _in_export_order(day, legs)


def _assign_customers(
    day: int, legs: CallLegs, offered: np.ndarray, book: CustomerBook, rng: np.random.Generator
) -> None:
    """Callers of offered calls, the same caller on both legs of a transfer, callees of outbound calls."""
    legs.customer[offered] = book.inbound_callers(day, int(offered.sum()), rng)
    _redial_after_abandoning(legs, offered, rng)
    child = legs.parent != NOT_SET
    legs.customer[child] = legs.customer[legs.parent[child]]
    dialled = legs.direction == OUTBOUND_DIRECTION
    picked_up = legs.answered[dialled] != NOT_SET
    targets, callback = book.outbound_targets(day, legs.person[dialled], legs.enqueued[dialled], picked_up, rng)
    legs.customer[dialled] = targets
    legs.queue[dialled] = np.where(callback, CALLBACK_QUEUE, FOLLOW_UP_QUEUE)


def _queue_waits(answered_at: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Seconds in the queue: mostly a few, sometimes half a minute or more, more often at peaks."""
    count = len(answered_at)
    long_share = np.clip(0.02 + 0.09 * (load(answered_at) - 0.4), 0.02, 0.2)
    long_wait = np.clip(rng.lognormal(np.log(35), 0.5, count), 21, 300)
    short_wait = rng.exponential(5.0, count)
    return np.rint(np.where(rng.random(count) < long_share, long_wait, short_wait)).astype(np.int64)


def _match_transfers(start, is_child, parent_end, is_parent) -> np.ndarray:
    """For each transfer-receiving slot, the first-line inbound slot whose leg ended shortly before
    it connected (each parent used once); NOT_SET where none did."""
    parent_rows = np.flatnonzero(is_parent)
    parent_rows = parent_rows[np.argsort(parent_end[parent_rows], kind="stable")]
    ends = parent_end[parent_rows]
    child_rows = np.flatnonzero(is_child)
    child_rows = child_rows[np.argsort(start[child_rows], kind="stable")]
    earliest, latest = start[child_rows] - TRANSFER_WAIT_SECONDS[1], start[child_rows] - TRANSFER_WAIT_SECONDS[0]
    candidate = np.searchsorted(ends, latest, side="right") - 1
    chosen = np.full(len(child_rows), NOT_SET, dtype=np.int64)
    taken = np.zeros(len(parent_rows), dtype=bool)
    for _ in range(8):
        in_window = (chosen == NOT_SET) & (candidate >= 0)
        in_window[in_window] &= ends[candidate[in_window]] >= earliest[in_window]
        free = np.flatnonzero(in_window)
        free = free[~taken[candidate[free]]]
        winners_parent, first = np.unique(candidate[free], return_index=True)
        chosen[free[first]] = winners_parent
        taken[winners_parent] = True
        candidate[(chosen == NOT_SET)] -= 1
    parent = np.full(len(start), NOT_SET, dtype=np.int64)
    matched = chosen != NOT_SET
    parent[child_rows[matched]] = parent_rows[chosen[matched]]
    return parent


def _outcomes(kind, second_line, skill, answered, rng) -> np.ndarray:
    count = len(kind)
    draw = rng.random(count)
    first_line_resolves = np.clip(0.80 + 0.04 * skill, 0.6, 0.93)
    resolves = np.where(kind == OUTBOUND, 0.85, np.where(second_line, 0.85, first_line_resolves))
    unsolved_as_callback = np.where(kind == OUTBOUND, 0.33, 0.45)
    outcome = np.where(
        draw < resolves,
        RESOLVED,
        np.where(draw < resolves + (1 - resolves) * unsolved_as_callback, CALLBACK_REQUIRED, UNRESOLVED),
    )
    return np.where(answered, outcome, NO_ANSWER).astype(np.int64)


def _abandoned(day: int, answered_offered: int, rng: np.random.Generator) -> CallLegs:
    """Calls that hang up in the queue: most where the queue is longest, at the peaks."""
    count = rng.poisson(answered_offered * ABANDON_SHARE / (1 - ABANDON_SHARE)) if answered_offered else 0
    enqueued = np.sort(sample_arrivals(day, count, rng, sharpness=2.0))
    patience = np.rint(np.clip(rng.lognormal(np.log(45), 0.7, count), 3, 600)).astype(np.int64)
    queue = np.where(rng.random(count) < 0.1, TECHNICAL_QUEUE, rng.choice(3, size=count, p=_FIRST_LINE_QUEUE_SHARES))
    unset, zero = np.full(count, NOT_SET, dtype=np.int64), np.zeros(count, dtype=np.int64)
    return CallLegs(
        call_number=unset,
        parent=unset,
        direction=np.full(count, INBOUND_DIRECTION),
        queue=queue,
        customer=unset.copy(),
        person=unset,
        enqueued=enqueued,
        answered=unset,
        ended=enqueued + patience,
        talk=zero,
        hold=zero,
        wrap=zero,
        outcome=np.full(count, ABANDONED),
    )


def _redial_after_abandoning(legs: CallLegs, offered: np.ndarray, rng: np.random.Generator) -> None:
    """Some who hung up ring again later that day and get through: that later call is theirs."""
    hung_up = np.flatnonzero(legs.outcome == ABANDONED)
    redialling = hung_up[rng.random(len(hung_up)) < SAME_DAY_REDIAL_SHARE]
    answered = np.flatnonzero(offered & (legs.answered != NOT_SET))
    answered = answered[np.argsort(legs.enqueued[answered], kind="stable")]
    times = legs.enqueued[answered]
    low = np.searchsorted(times, legs.ended[redialling] + 60)
    high = np.searchsorted(times, legs.ended[redialling] + 3_600)
    possible = high > low
    pick = low[possible] + (rng.random(possible.sum()) * (high - low)[possible]).astype(np.int64)
    legs.customer[answered[pick]] = legs.customer[redialling[possible]]


def _in_export_order(day: int, legs: CallLegs) -> CallLegs:
    """Legs sorted by enqueued_at and numbered in that order; parents follow their legs' new rows."""
    order = np.lexsort((legs.person, legs.enqueued))
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    columns = {f.name: getattr(legs, f.name)[order] for f in fields(legs)}
    parent = columns["parent"]
    columns["parent"] = np.where(parent == NOT_SET, NOT_SET, position[np.maximum(parent, 0)])
    columns["call_number"] = day_sequence_numbers(clock.date_number(day), len(order), _CALL_NUMBER_DIGITS)
    return CallLegs(**columns)
