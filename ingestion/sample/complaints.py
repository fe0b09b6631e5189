"""Customer complaints (投诉) and their handling, delivered as they change.

A complaint is usually about a call (more often one that did not solve the problem, and more
often with weaker agents), sometimes about nothing in particular. Its whole life is decided when
it is made: received, first answered, closed. The QA system exports a complaint in the file of
each day on which it was received or updated, in its state at the end of that day, so a later
file re-delivers it with a newer state (open -> success or failed).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from ingestion.contract import COMPLAINTS
from ingestion.sample import clock
from ingestion.sample.calls import INBOUND_DIRECTION, CallLegs
from ingestion.sample.clock import DAY, HOUR, MINUTE, NOT_SET
from ingestion.sample.columns import (
    day_sequence_numbers,
    identifiers,
    labels,
    staff_ids,
)
from ingestion.sample.customers import CALLBACK_REQUIRED, UNRESOLVED
from ingestion.sample.identities import mobile_numbers
from ingestion.sample.roster import Staff

CHANNELS = COMPLAINTS.column("channel").values  # phone, online, email, letter
RESOLUTIONS = COMPLAINTS.column("resolution").values  # open, success, failed, withdrawn
_PHONE, _ONLINE, _EMAIL, _LETTER = (CHANNELS.index(c) for c in ("phone", "online", "email", "letter"))
_OPEN, _SUCCESS, _FAILED, _WITHDRAWN = (RESOLUTIONS.index(r) for r in ("open", "success", "failed", "withdrawn"))
CATEGORIES = ("服务态度", "业务差错", "等待时间长", "问题未解决", "回访未及时", "系统故障")

COMPLAINTS_PER_CALL = 0.0004
UNSOLVED_CALL_FACTOR = 2.5
STANDALONE_PER_AGENT_DAY = 0.004
"""Online complaints about the service in general, not about a call, any day of the week."""
_CHANNEL_SHARES = (0.62, 0.30, 0.05, 0.03)
_TIME_LIMIT_HOURS = {_PHONE: 24, _ONLINE: 8, _EMAIL: 24, _LETTER: 24}
_EMPTY_DUE_SHARE, _EXTENDED_DUE_SHARE = 0.4, 0.1


def complaints(
    day: int,
    legs: CallLegs,
    eligible: np.ndarray,
    first_line_agents: np.ndarray,
    staff: Staff,
    customer_pool: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, dict[str, pa.Array]]:
    """Every delivery of the complaints made today: (delivery day, sort instant, columns)."""
    about_calls = _complaints_about_calls(legs, eligible, staff, rng)
    standalone = rng.poisson(max(0.3, STANDALONE_PER_AGENT_DAY * len(first_line_agents)))
    count = len(about_calls) + standalone

    call_row = np.concatenate([about_calls, np.full(standalone, NOT_SET)])
    from_call = call_row != NOT_SET
    channel = np.where(from_call, rng.choice(len(CHANNELS), size=count, p=_CHANNEL_SHARES), _ONLINE)
    call_ended = _of_call(legs.ended, call_row)
    delay_hours = np.select(
        [channel == _PHONE, channel == _ONLINE, channel == _EMAIL],
        [rng.uniform(5 / 60, 3, count), rng.uniform(1 / 6, 20, count), rng.uniform(1, 48, count)],
        rng.uniform(48, 144, count),
    )
    received = np.where(
        from_call,
        call_ended + (delay_hours * HOUR).astype(np.int64),
        day * DAY + rng.integers(7 * HOUR, 23 * HOUR, count),
    )
    keeps_call_id = from_call & (
        rng.random(count) < np.select([channel == _PHONE, channel == _ONLINE, channel == _EMAIL], [1.0, 0.6, 0.5], 0.3)
    )
    subject = np.where(rng.random(count) < 0.8, _of_call(legs.person, call_row), NOT_SET)
    handler = _handlers(subject, first_line_agents, day, staff, rng)

    limit = np.array([_TIME_LIMIT_HOURS[c] for c in range(len(CHANNELS))])[channel] * HOUR
    due_draw = rng.random(count)
    due = np.where(
        due_draw < _EMPTY_DUE_SHARE, NOT_SET, received + np.where(due_draw > 1 - _EXTENDED_DUE_SHARE, 48 * HOUR, limit)
    )
    online = channel == _ONLINE
    first_response = received + (rng.lognormal(np.log(np.where(online, 1.0, 1.5)), 0.8) * HOUR).astype(np.int64)
    first_response = np.where(online, first_response, clock.within_office_hours(first_response, rng))
    resolved = first_response + (rng.lognormal(np.log(np.where(online, 2.5, 3.0)), 0.9) * HOUR).astype(np.int64)
    resolved = np.where(online, resolved, clock.within_office_hours(resolved, rng))
    skill = np.where(subject != NOT_SET, staff.skill[np.maximum(subject, 0)], 0.0)
    outcome_draw = rng.random(count)
    success = np.clip(0.75 + 0.05 * skill, 0.5, 0.9)
    final = np.where(outcome_draw < success, _SUCCESS, np.where(outcome_draw < 0.94, _FAILED, _WITHDRAWN))

    customer = np.where(from_call, _of_call(legs.customer, call_row), rng.integers(0, customer_pool, count))
    call_ids = (
        legs.call_ids.take(pa.array(np.where(keeps_call_id, call_row, 0), mask=~keeps_call_id))
        if keeps_call_id.any()
        else pa.nulls(count, pa.string())
    )
    base = {
        "complaint_id": identifiers("TS", day_sequence_numbers(clock.date_number(day), count, 4)),
        "channel": labels(CHANNELS, channel),
        "customer_number": pa.array(mobile_numbers(customer)).cast(pa.string()),
        "call_id": call_ids,
        "subject_agent_id": staff_ids(staff.agent_id, subject),
        "handler_agent_id": staff_ids(staff.agent_id, handler),
        "category": labels(CATEGORIES, rng.integers(0, len(CATEGORIES), count)),
        "received_at": clock.timestamps(received),
        "due_at": clock.timestamps(due),
    }
    return _deliveries(base, received, first_response, resolved, final)


def _of_call(values: np.ndarray, call_row: np.ndarray) -> np.ndarray:
    """The call's value for complaints about a call; NOT_SET for the others."""
    result = np.full(len(call_row), NOT_SET, dtype=np.int64)
    about_call = call_row != NOT_SET
    result[about_call] = values[call_row[about_call]]
    return result


def _complaints_about_calls(legs: CallLegs, eligible: np.ndarray, staff: Staff, rng: np.random.Generator) -> np.ndarray:
    answered_inbound = eligible & (legs.direction == INBOUND_DIRECTION) & (legs.answered != NOT_SET)
    rows = np.flatnonzero(answered_inbound)
    unsolved = np.isin(legs.outcome[rows], (UNRESOLVED, CALLBACK_REQUIRED))
    chance = (
        COMPLAINTS_PER_CALL
        * np.exp(-0.6 * staff.skill[legs.person[rows]])
        * np.where(unsolved, UNSOLVED_CALL_FACTOR, 1.0)
    )
    return rows[rng.random(len(rows)) < chance]


def _handlers(subject, first_line_agents, day, staff, rng) -> np.ndarray:
    """首问负责: a first-line colleague on duty, or in three cases of ten the subject's team lead."""
    count = len(subject)
    colleague = (
        first_line_agents[rng.integers(0, len(first_line_agents), count)]
        if len(first_line_agents)
        else np.full(count, NOT_SET)
    )
    teams = staff.team_on(day)
    subject_team = teams[np.maximum(subject, 0)]
    lead = np.where(
        (subject != NOT_SET) & (subject_team < len(staff.team_leads)),
        staff.team_leads[np.minimum(subject_team, len(staff.team_leads) - 1)],
        staff.team_leads[rng.integers(0, len(staff.team_leads), count)],
    )
    return np.where((rng.random(count) < 0.3) | (colleague == NOT_SET) | (colleague == subject), lead, colleague)


def _deliveries(base, received, first_response, resolved, final):
    """One row per complaint and day on which it changed, in its state at the end of that day."""
    count = len(received)
    event_days = np.stack([received // DAY, first_response // DAY, resolved // DAY], axis=1)
    is_new_day = np.concatenate([np.ones((count, 1), dtype=bool), event_days[:, 1:] != event_days[:, :-1]], axis=1)
    complaint, step = np.nonzero(is_new_day)
    delivered = event_days[complaint, step]
    end_of_day = (delivered + 1) * DAY
    responded = first_response[complaint] < end_of_day
    closed = resolved[complaint] < end_of_day
    rows = pa.array(complaint)
    columns = {name: array.take(rows) for name, array in base.items()}
    columns["first_response_at"] = clock.timestamps(np.where(responded, first_response[complaint], NOT_SET))
    columns["resolved_at"] = clock.timestamps(np.where(closed, resolved[complaint], NOT_SET))
    columns["resolution"] = labels(RESOLUTIONS, np.where(closed, final[complaint], _OPEN))
    return delivered, received[complaint] + step * MINUTE, columns
