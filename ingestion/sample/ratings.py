"""The monthly supervisor evaluation (上级评价表): each agent rated 1-5 on six abilities by their team lead."""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from ingestion.contract import RATINGS
from ingestion.sample import clock
from ingestion.sample.attendance import MonthAttendance
from ingestion.sample.columns import staff_ids
from ingestion.sample.roster import Staff

DIMENSIONS = tuple(c.name for c in RATINGS.columns if c.type == "number")


def ratings(first: date, attendance: MonthAttendance, staff: Staff, rng: np.random.Generator) -> dict[str, pa.Array]:
    """One row per agent scheduled in the month, rated by the lead of their team at its end."""
    persons = attendance.persons
    count = len(persons)
    team = staff.team_on(int(attendance.work_days[-1]))[persons]
    rater = staff.team_leads[np.minimum(team, len(staff.team_leads) - 1)]
    columns = {
        "agent_id": staff_ids(staff.agent_id, persons),
        "month": pa.array([clock.month_stamp(first)] * count, type=pa.string()),
        "rater_id": staff_ids(staff.agent_id, rater),
    }
    for dimension in DIMENSIONS:
        score = np.rint(3.7 + 0.55 * staff.skill[persons] + rng.normal(0, 0.6, count))
        columns[dimension] = pa.array(np.clip(score, 1, 5).astype(np.int64))
    return columns
