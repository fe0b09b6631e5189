"""The centre's day: opening hours and the shape of the offered load within them.

Callers ring most mid-morning and mid-afternoon and least around lunch; agents see it as shorter
idle gaps between calls, longer queue waits and more abandoned calls at the peaks.
"""

from __future__ import annotations

import numpy as np

from ingestion.sample.clock import DAY, HOUR, MINUTE, clock

LINES_OPEN = clock(8, 30)
LINES_CLOSE = clock(17, 30)
SHIFT_START = clock(8, 30)
SHIFT_END = clock(17, 35)

_MORNING_PEAK, _AFTERNOON_PEAK, _LUNCH = 10.25 * HOUR, 15.0 * HOUR, 12.5 * HOUR


def load(instants: np.ndarray) -> np.ndarray:
    """Offered load relative to the day's average: about 1.6 at the peaks, 0.5 at the quietest."""
    hour = (np.asarray(instants) % DAY).astype(np.float64)
    morning = 0.95 * np.exp(-(((hour - _MORNING_PEAK) / (1.1 * HOUR)) ** 2))
    afternoon = 0.75 * np.exp(-(((hour - _AFTERNOON_PEAK) / (1.2 * HOUR)) ** 2))
    lunch_dip = 0.25 * np.exp(-(((hour - _LUNCH) / (0.6 * HOUR)) ** 2))
    return 0.62 + morning + afternoon - lunch_dip


_MINUTES = np.arange(LINES_OPEN, LINES_CLOSE, MINUTE)


def sample_arrivals(day: int, count: int, rng: np.random.Generator, sharpness: float = 1.0) -> np.ndarray:
    """`count` instants on `day` while the lines are open, denser where the load is higher.

    `sharpness` above 1 concentrates them further on the peaks (abandoned calls pile up there).
    """
    weights = load(_MINUTES) ** sharpness
    minutes = rng.choice(len(_MINUTES), size=count, p=weights / weights.sum())
    return day * DAY + _MINUTES[minutes] + rng.integers(0, MINUTE, size=count)


def mean_inverse_load(power: float) -> float:
    """The average of 1/load**power over the open hours: turns a mean idle gap into the curve's scale."""
    return float(np.mean(1.0 / load(_MINUTES) ** power))
