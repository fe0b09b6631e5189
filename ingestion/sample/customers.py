"""The centre's callers: who rings, who rings again, and who is owed a call-back.

Only a bounded memory is kept: the inbound calls of the last week (repeat callers pick from them,
mostly those whose problem was not solved) and the call-backs still owed. Everything older is
forgotten, which is what keeps a year of generation in constant memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ingestion.contract import CALLS
from ingestion.sample.arrays import rank_within

OUTCOMES = CALLS.column("outcome").values
RESOLVED, TRANSFERRED, CALLBACK_REQUIRED, UNRESOLVED, ABANDONED, NO_ANSWER = (
    OUTCOMES.index(o) for o in ("resolved", "transferred", "callback_required", "unresolved", "abandoned", "no_answer")
)

RECENT_DAYS = 7
REPEAT_SHARE = 0.09
"""Offered inbound calls made by someone who already called in the last week."""
_REPEAT_WEIGHT = np.zeros(len(OUTCOMES))
_REPEAT_WEIGHT[[RESOLVED, TRANSFERRED, CALLBACK_REQUIRED, UNRESOLVED, ABANDONED]] = [0.4, 1.5, 2.5, 5.0, 6.0]
"""How much likelier a caller is to ring again, by how their last call ended."""
_REPEAT_DECAY_DAYS = 2.0

CALLBACK_ATTEMPTS = 3
CALLBACK_PATIENCE_DAYS = 7
REASSIGN_AFTER_DAYS = 2
"""A call-back its agent has not made after this many days goes to whoever dials next."""


@dataclass
class _Owed:
    customer: np.ndarray
    person: np.ndarray
    created_day: np.ndarray
    attempts: np.ndarray

    def keep(self, mask: np.ndarray) -> _Owed:
        return _Owed(self.customer[mask], self.person[mask], self.created_day[mask], self.attempts[mask])


class CustomerBook:
    def __init__(self, pool_size: int):
        self.pool_size = pool_size
        self._recent: list[tuple[int, np.ndarray, np.ndarray]] = []
        self._owed = _Owed(*(np.zeros(0, dtype=np.int64) for _ in range(4)))

    def inbound_callers(self, day: int, count: int, rng: np.random.Generator) -> np.ndarray:
        """Customer ids of `count` offered inbound calls: mostly new callers, some repeats."""
        callers = rng.integers(0, self.pool_size, count)
        if not self._recent or count == 0:
            return callers
        customers = np.concatenate([c for _, c, _ in self._recent])
        weights = np.concatenate(
            [_REPEAT_WEIGHT[outcome] * np.exp(-(day - d) / _REPEAT_DECAY_DAYS) for d, _, outcome in self._recent]
        )
        if weights.sum() <= 0:
            return callers
        repeats = np.flatnonzero(rng.random(count) < REPEAT_SHARE)
        callers[repeats] = customers[rng.choice(len(customers), size=len(repeats), p=weights / weights.sum())]
        return callers

    def remember(self, day: int, customers: np.ndarray, outcomes: np.ndarray) -> None:
        """The day's offered inbound calls; calls older than a week are forgotten."""
        self._recent = [r for r in self._recent if r[0] > day - RECENT_DAYS] + [(day, customers, outcomes)]

    def owe_callbacks(self, day: int, customers: np.ndarray, persons: np.ndarray) -> None:
        count = len(customers)
        self._owed = _Owed(
            np.concatenate([self._owed.customer, customers]),
            np.concatenate([self._owed.person, persons]),
            np.concatenate([self._owed.created_day, np.full(count, day, dtype=np.int64)]),
            np.concatenate([self._owed.attempts, np.zeros(count, dtype=np.int64)]),
        )

    def outbound_targets(
        self, day: int, person: np.ndarray, start: np.ndarray, answered: np.ndarray, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        """Whom each outbound slot dials, and whether it is a call-back (else a follow-up call).

        An agent first works through the call-backs they owe, oldest first; call-backs left undone
        for days pass to any agent; spare slots follow up recent callers (回访).
        """
        count = len(person)
        target = np.full(count, -1, dtype=np.int64)
        owed = self._owed
        due = np.flatnonzero(owed.created_day < day)
        due = due[np.lexsort((owed.created_day[due], owed.person[due]))]
        slots = np.lexsort((start, person))
        owner_match = _match_by_rank(owed.person[due], person[slots])
        matched_owed, matched_slot = due[owner_match[0]], slots[owner_match[1]]
        target[matched_slot] = owed.customer[matched_owed]

        stale = np.setdiff1d(due[owed.created_day[due] <= day - REASSIGN_AFTER_DAYS], matched_owed)
        stale = stale[np.argsort(owed.created_day[stale], kind="stable")]
        spare = np.flatnonzero(target == -1)
        spare = spare[rng.permutation(len(spare))][: len(stale)]
        stale = stale[: len(spare)]
        target[spare] = owed.customer[stale]

        dialled_owed = np.concatenate([matched_owed, stale])
        dialled_slot = np.concatenate([matched_slot, spare])
        callback = np.zeros(count, dtype=bool)
        callback[dialled_slot] = True
        attempts = owed.attempts.copy()
        attempts[dialled_owed] += 1
        done = np.zeros(len(owed.customer), dtype=bool)
        done[dialled_owed[answered[dialled_slot]]] = True
        alive = ~done & (attempts < CALLBACK_ATTEMPTS) & (owed.created_day > day - CALLBACK_PATIENCE_DAYS)
        self._owed = _Owed(owed.customer, owed.person, owed.created_day, attempts).keep(alive)

        follow_up = np.flatnonzero(target == -1)
        target[follow_up] = self._recent_resolved_callers(len(follow_up), rng)
        return target, callback

    def _recent_resolved_callers(self, count: int, rng: np.random.Generator) -> np.ndarray:
        resolved = [c[o == RESOLVED] for _, c, o in self._recent]
        pool = np.concatenate(resolved) if resolved else np.zeros(0, dtype=np.int64)
        if len(pool) == 0:
            return rng.integers(0, self.pool_size, count)
        return pool[rng.integers(0, len(pool), count)]


def _match_by_rank(owners: np.ndarray, slot_persons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pair the k-th item owed by a person with that person's k-th slot. Both inputs are sorted by
    person; returns positions into each."""
    owner_key = owners * 100_000 + rank_within(owners)
    slot_key = slot_persons * 100_000 + rank_within(slot_persons)
    _, owner_position, slot_position = np.intersect1d(owner_key, slot_key, assume_unique=True, return_indices=True)
    return owner_position, slot_position
