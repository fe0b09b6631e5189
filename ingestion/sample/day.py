"""One calendar day of the centre: every daily file's rows, from who turned up to what customers said."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from ingestion.sample import clock
from ingestion.sample.attendance import MonthAttendance
from ingestion.sample.calls import CallLegs, build_calls
from ingestion.sample.clock import DAY, NOT_SET
from ingestion.sample.columns import labels, staff_ids
from ingestion.sample.complaints import complaints
from ingestion.sample.customers import CustomerBook
from ingestion.sample.defects import DefectBudget, pick_rows, spoil
from ingestion.sample.deferred import Deferred
from ingestion.sample.quality import EvaluationPlanner, surveys
from ingestion.sample.roster import FIRST_LINE, SECOND_LINE, Staff
from ingestion.sample.timeline import (
    REASONS,
    STATE_NAMES,
    DayTimeline,
    PresentAgents,
    lay_out_day,
)

DAILY_EXTRACTS = ("calls", "sessions", "states", "evaluations", "surveys", "complaints")
EARLIER_CALL_IDS_KEPT = 50
"""Call ids remembered from the last working day, for the repeated-id defect."""
_REASONS_OR_EMPTY = tuple(reason or None for reason in REASONS)

Rows = dict[str, pa.Array] | None


@dataclass
class CentreState:
    """What the centre remembers from one day to the next (all of it bounded)."""

    staff: Staff
    book: CustomerBook
    planner: EvaluationPlanner
    deferred: Deferred = field(default_factory=Deferred)
    defects: DefectBudget = field(default_factory=DefectBudget)
    earlier_call_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))


def simulate_day(
    day: int, attendance: MonthAttendance, month_end: int, state: CentreState, rng: np.random.Generator
) -> tuple[dict[str, Rows], int]:
    """The rows of each daily extract's file for `day` (None: header only), and the call legs."""
    files: dict[str, Rows] = dict.fromkeys(DAILY_EXTRACTS)
    column = int(np.searchsorted(attendance.work_days, day))
    working = column < len(attendance.work_days) and attendance.work_days[column] == day
    present = attendance.present_on(column) if working else np.zeros(0, dtype=np.int64)
    legs, referable = CallLegs.none(), np.zeros(0, dtype=bool)
    if len(present):
        agents = _present_agents(day, attendance, column, present, state.staff)
        legs, referable = _telephony(day, agents, state, files, rng)
        evaluations = state.planner.evaluations(day, legs, referable, attendance, month_end, state.staff, rng)
        files["evaluations"] = _spoiled("evaluations", evaluations, state, rng)
        responded, answers = surveys(day, legs, referable, state.staff, rng)
        state.deferred.add("surveys", responded // DAY, responded, answers)

    staff = state.staff
    on_duty = staff.agents_employed_on(day)
    first_line_on_duty = on_duty[staff.tier_on(day)[on_duty] == FIRST_LINE]
    delivery_day, order, made = complaints(day, legs, referable, first_line_on_duty, staff, state.book.pool_size, rng)
    state.deferred.add("complaints", delivery_day, order, made)
    for extract in ("surveys", "complaints"):
        due = state.deferred.due(extract, day)
        files[extract] = None if due is None else _spoiled(extract, _columns(due), state, rng)
    return files, len(legs)


def _telephony(
    day: int, agents: PresentAgents, state: CentreState, files: dict[str, Rows], rng: np.random.Generator
) -> tuple[CallLegs, np.ndarray]:
    """Fill the day's calls, sessions and states; return the legs and which of them QA, surveys and
    complaints may refer to (handled by an agent and delivered intact)."""
    staff = state.staff
    timeline = lay_out_day(day, agents, rng)
    slot_person = timeline.slots.person
    second_line = staff.tier_on(day)[slot_person] == SECOND_LINE
    legs = build_calls(day, timeline.slots, second_line, staff.skill[slot_person], state.book, rng)
    broken = _broken_calls(legs, state, rng)
    referable = legs.person != NOT_SET
    referable[broken] = False
    files["calls"] = spoil("calls", legs.table(staff), broken, rng, state.earlier_call_ids)
    files["sessions"] = _spoiled("sessions", _sessions(timeline, staff), state, rng)
    files["states"] = _spoiled("states", _states(timeline, staff), state, rng)
    intact = np.flatnonzero(referable)
    kept = rng.choice(intact, size=min(EARLIER_CALL_IDS_KEPT, len(intact)), replace=False)
    state.earlier_call_ids = np.array(legs.call_ids.take(pa.array(np.sort(kept))).to_pylist(), dtype=object)
    return legs, referable


def _present_agents(
    day: int, attendance: MonthAttendance, column: int, present: np.ndarray, staff: Staff
) -> PresentAgents:
    persons = attendance.persons[present]
    midnight = day * DAY

    def instants(values: np.ndarray) -> np.ndarray:
        return midnight + values[present, column]

    return PresentAgents(
        person=persons,
        second_line=staff.tier_on(day)[persons] == SECOND_LINE,
        skill=staff.skill[persons],
        login=instants(attendance.login),
        logout=instants(attendance.logout),
        lunch_start=instants(attendance.lunch_start),
        lunch_end=instants(attendance.lunch_end),
        split=attendance.split[present, column],
    )


def _broken_calls(legs: CallLegs, state: CentreState, rng: np.random.Generator) -> np.ndarray:
    """Rows of calls to break: never a leg of a transfer, so that no parent_call_id dangles."""
    parents = legs.parent[legs.parent != NOT_SET]
    in_transfer = np.zeros(len(legs), dtype=bool)
    in_transfer[parents] = True
    in_transfer |= legs.parent != NOT_SET
    count = state.defects.draw("calls", len(legs), rng)
    return pick_rows(np.flatnonzero(~in_transfer), count, rng)


def _spoiled(
    extract: str, columns: dict[str, pa.Array], state: CentreState, rng: np.random.Generator
) -> dict[str, pa.Array]:
    rows = len(next(iter(columns.values())))
    count = state.defects.draw(extract, rows, rng)
    return spoil(extract, columns, pick_rows(np.arange(rows), count, rng), rng)


def _sessions(timeline: DayTimeline, staff: Staff) -> dict[str, pa.Array]:
    return {
        "agent_id": staff_ids(staff.agent_id, timeline.session_person),
        "login_at": clock.timestamps(timeline.session_login),
        "logout_at": clock.timestamps(timeline.session_logout),
    }


def _states(timeline: DayTimeline, staff: Staff) -> dict[str, pa.Array]:
    return {
        "agent_id": staff_ids(staff.agent_id, timeline.state_person),
        "state": labels(STATE_NAMES, timeline.state),
        "reason": labels(_REASONS_OR_EMPTY, timeline.state_reason),
        "started_at": clock.timestamps(timeline.state_start),
        "ended_at": clock.timestamps(timeline.state_end),
    }


def _columns(table: pa.Table) -> dict[str, pa.Array]:
    return {name: table.column(name).combine_chunks() for name in table.column_names}
