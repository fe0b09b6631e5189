"""How long a call keeps an agent busy: ringing, talk, hold and after-call work (wrap).

Durations are lognormal, as handling times are in every call centre; second-line (technical)
calls run longer, outbound call-backs shorter, and stronger agents are a little quicker.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INBOUND, TECHNICAL, TRANSFER_IN, OUTBOUND = 0, 1, 2, 3
"""Slot kinds: a first-line inbound call, a call to the technical queue, a transferred call
picked up by the second line, and a call the agent dials."""

OUTBOUND_CONNECT_RATE = 0.75
MAX_TALK_SECONDS, MAX_HOLD_SECONDS, MAX_WRAP_SECONDS = 3_600, 900, 900

# Per kind: median talk, share of calls with hold, median hold, median wrap (seconds).
_TALK_MEDIAN = np.array([230.0, 400.0, 400.0, 150.0])
_HOLD_SHARE = np.array([0.35, 0.50, 0.50, 0.10])
_HOLD_MEDIAN = np.array([40.0, 60.0, 60.0, 30.0])
_WRAP_MEDIAN = np.array([40.0, 80.0, 80.0, 30.0])


@dataclass
class Work:
    ring: np.ndarray
    """Outbound only: dialling until the customer picks up (or gives up ringing)."""
    talk: np.ndarray
    hold: np.ndarray
    wrap: np.ndarray
    answered: np.ndarray

    @property
    def connected(self) -> np.ndarray:
        """Seconds on the line: the ACD's on_call state."""
        return self.ring + self.talk + self.hold

    @property
    def total(self) -> np.ndarray:
        return self.connected + self.wrap


def draw_work(kind: np.ndarray, skill: np.ndarray, rng: np.random.Generator) -> Work:
    count = len(kind)
    outbound = kind == OUTBOUND
    answered = ~outbound | (rng.random(count) < OUTBOUND_CONNECT_RATE)
    quicker = np.exp(-0.08 * skill)
    talk = _lognormal(_TALK_MEDIAN[kind] * quicker, 0.6, rng).clip(5, MAX_TALK_SECONDS)
    hold = np.where(rng.random(count) < _HOLD_SHARE[kind], _lognormal(_HOLD_MEDIAN[kind], 0.7, rng), 0).clip(
        0, MAX_HOLD_SECONDS
    )
    wrap = _lognormal(_WRAP_MEDIAN[kind] * quicker, 0.6, rng).clip(3, MAX_WRAP_SECONDS)
    ring = np.where(outbound, np.where(answered, rng.uniform(6, 25, count), rng.uniform(20, 45, count)), 0)
    unanswered = ~answered
    return Work(
        ring=np.rint(ring).astype(np.int64),
        talk=np.where(unanswered, 0, np.rint(talk)).astype(np.int64),
        hold=np.where(unanswered, 0, np.rint(hold)).astype(np.int64),
        wrap=np.where(unanswered, rng.integers(0, 16, count), np.rint(wrap)).astype(np.int64),
        answered=answered,
    )


def _lognormal(median: np.ndarray, sigma: float, rng: np.random.Generator) -> np.ndarray:
    return median * rng.lognormal(0.0, sigma, len(median))
