"""QA monitoring (监听) of agents' calls and the customers' post-call surveys.

The QA team plans about two evaluations per agent and ISO week (the regulation's minimum), spread
over the days the agent works; a few agent-weeks get only one, as happens when QA falls behind.
Surveys follow a share of answered inbound calls within minutes; most customers are satisfied,
less so when their problem was not solved.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ingestion.contract import EVALUATIONS
from ingestion.sample import clock
from ingestion.sample.arrays import rank_within
from ingestion.sample.attendance import PRESENT, MonthAttendance
from ingestion.sample.calls import INBOUND_DIRECTION, CallLegs
from ingestion.sample.clock import DAY, HOUR, MINUTE, NOT_SET
from ingestion.sample.columns import (
    booleans,
    day_sequence_numbers,
    identifiers,
    labels,
    staff_ids,
)
from ingestion.sample.customers import RESOLVED, TRANSFERRED
from ingestion.sample.roster import QA, Staff

WEEKLY_EVALUATIONS = (1, 2, 3)
WEEKLY_EVALUATION_SHARES = (0.05, 0.85, 0.10)
MODES = EVALUATIONS.column("mode").values
_MODE_NAMES = np.array(MODES, dtype=object)
_MODE_SHARES = {"live": 0.2, "recorded": 0.7, "callback": 0.1}
FATAL_ERROR_RATE = 0.004

SURVEY_RESPONSE_RATE = 0.2
# A customer's satisfaction is a latent normal score; these cut it into the 1-5 answer.
_SURVEY_THRESHOLDS = np.array([-2.5, -2.0, -1.4, -0.4])


class EvaluationPlanner:
    """Spreads each agent's weekly evaluations over the days they are present."""

    def __init__(self, staff_size: int):
        self._week = NOT_SET
        self._left = np.zeros(staff_size, dtype=np.int64)

    def evaluations(
        self,
        day: int,
        legs: CallLegs,
        eligible: np.ndarray,
        attendance: MonthAttendance,
        month_end: int,
        staff: Staff,
        rng: np.random.Generator,
    ) -> dict[str, pa.Array]:
        monday = day - int(clock.weekday(day))
        if monday != self._week:
            self._week = monday
            self._left = rng.choice(WEEKLY_EVALUATIONS, size=len(self._left), p=WEEKLY_EVALUATION_SHARES)
        wanted = self._wanted_today(day, monday, attendance, month_end, rng)

        candidates = np.flatnonzero(eligible)
        person = legs.person[candidates]
        order = np.lexsort((rng.random(len(candidates)), person))
        candidates, person = candidates[order], person[order]
        chosen = candidates[rank_within(person) < wanted[person]]
        done = np.bincount(legs.person[chosen], minlength=len(self._left))
        self._left -= done
        return _evaluation_rows(day, legs, chosen, staff, rng)

    def _wanted_today(self, day, monday, attendance, month_end, rng) -> np.ndarray:
        """Evaluations each person should get today: what is left this week over the present days left."""
        column = int(np.searchsorted(attendance.work_days, day))
        friday = monday + 4
        rest_of_week = (attendance.work_days >= day) & (attendance.work_days <= friday)
        days_left = (attendance.status[:, rest_of_week] == PRESENT).sum(axis=1) + max(0, friday - month_end)
        present = attendance.status[:, column] == PRESENT
        wanted = np.zeros(len(self._left), dtype=np.int64)
        persons = attendance.persons[present]
        share = self._left[persons] / days_left[present]
        wanted[persons] = np.floor(share).astype(np.int64) + (rng.random(len(persons)) < share % 1)
        return wanted


def _evaluation_rows(
    day: int, legs: CallLegs, chosen: np.ndarray, staff: Staff, rng: np.random.Generator
) -> dict[str, pa.Array]:
    count = len(chosen)
    evaluators = np.flatnonzero(staff.employed_on(day) & (staff.role == QA))
    mode = rng.choice(len(MODES), size=count, p=[_MODE_SHARES[m] for m in MODES])
    ended = legs.ended[chosen]
    end_of_day = day * DAY + np.where(_MODE_NAMES[mode] == "callback", 19 * HOUR, 18 * HOUR)
    delay = np.select(
        [_MODE_NAMES[mode] == "live", _MODE_NAMES[mode] == "recorded"],
        [rng.uniform(1, 10, count) * MINUTE, rng.uniform(15, 240, count) * MINUTE],
        rng.uniform(30, 180, count) * MINUTE,
    ).astype(np.int64)
    evaluated = np.maximum(np.minimum(ended + delay, end_of_day), ended + MINUTE)
    skill = staff.skill[legs.person[chosen]]
    fatal = rng.random(count) < FATAL_ERROR_RATE
    score = np.clip(rng.normal(85 + 4 * skill, 6), 35, 100) - np.where(fatal, 30, 0)
    accurate = rng.random(count) < np.clip(0.93 + 0.03 * skill, 0.7, 0.995)
    order = np.argsort(evaluated, kind="stable")
    chosen, mode, evaluated, score, accurate, fatal = (
        a[order] for a in (chosen, mode, evaluated, score, accurate, fatal)
    )
    return {
        "evaluation_id": identifiers("E", day_sequence_numbers(clock.date_number(day), count, 5)),
        "call_id": legs.call_ids.take(pa.array(chosen)),
        "agent_id": staff_ids(staff.agent_id, legs.person[chosen]),
        "evaluator_id": staff_ids(
            staff.agent_id, rng.choice(evaluators, size=count) if len(evaluators) else np.full(count, NOT_SET)
        ),
        "evaluated_at": clock.timestamps(evaluated),
        "mode": labels(MODES, mode),
        "score": pa.array(np.round(np.maximum(score, 0), 1)),
        "answer_accurate": booleans(accurate),
        "fatal_error": booleans(fatal),
    }


def surveys(
    day: int, legs: CallLegs, eligible: np.ndarray, staff: Staff, rng: np.random.Generator
) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """Survey answers to the day's answered inbound calls, and the instant each was given."""
    answered_inbound = (
        eligible & (legs.direction == INBOUND_DIRECTION) & (legs.answered != NOT_SET) & (legs.outcome != TRANSFERRED)
    )
    chosen = np.flatnonzero(answered_inbound & (rng.random(len(legs)) < SURVEY_RESPONSE_RATE))
    count = len(chosen)
    responded = (
        legs.ended[chosen]
        + legs.wrap[chosen]
        + np.clip(rng.lognormal(np.log(90), 1.0, count), 10, 20 * HOUR).astype(np.int64)
    )
    satisfaction = (
        rng.normal(0, 1, count)
        + 0.3 * staff.skill[legs.person[chosen]]
        - np.where(legs.outcome[chosen] == RESOLVED, 0, 1.0)
    )
    score = 1 + (satisfaction[:, None] > _SURVEY_THRESHOLDS[None, :]).sum(axis=1)
    order = np.argsort(responded, kind="stable")
    chosen, responded, score = chosen[order], responded[order], score[order]
    return responded, {
        "survey_id": identifiers("S", day_sequence_numbers(clock.date_number(day), count, 6)),
        "call_id": legs.call_ids.take(pa.array(chosen)),
        "agent_id": staff_ids(staff.agent_id, legs.person[chosen]),
        "responded_at": clock.timestamps(responded),
        "score": pa.array(score.astype(np.int64)),
    }
