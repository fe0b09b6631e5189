"""Generating a sample centre's landing folder, month by month and day by day."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

from ingestion.contract import EXTRACTS_BY_NAME
from ingestion.sample import clock
from ingestion.sample.attendance import plan_leave, plan_month
from ingestion.sample.customers import CustomerBook
from ingestion.sample.day import CentreState, simulate_day
from ingestion.sample.defects import pick_rows, spoil
from ingestion.sample.quality import EvaluationPlanner
from ingestion.sample.ratings import ratings
from ingestion.sample.roster import plan_staff
from ingestion.sample.writing import write_extract

CUSTOMERS_PER_AGENT = 50_000
"""Size of the pool new callers come from: large enough that strangers rarely share a number."""

# Independent random streams, so that one part's draws never shift another's.
_STAFF, _LEAVE, _MONTH, _DAY, _HR_FILES = range(5)


def generate_centre(
    out_dir: Path,
    *,
    agents: int = 60,
    teams: int = 4,
    start: date,
    months: int = 3,
    seed: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write `months` calendar months of every extract, from `start` (a first of month), into
    `out_dir` in the contract's landing layout; return the rows written per extract.

    The same arguments always produce byte-identical files.
    """
    if start.day != 1:
        raise ValueError(f"start must be the first day of a month, not {start.isoformat()}")
    if agents < 1 or teams < 1 or months < 1:
        raise ValueError("agents, teams and months must each be at least 1")
    landing = Path(out_dir)
    staff = plan_staff(agents, teams, start, months, _rng(seed, _STAFF))
    leave = plan_leave(staff, start, months, _rng(seed, _LEAVE))
    state = CentreState(
        staff=staff,
        book=CustomerBook(pool_size=agents * CUSTOMERS_PER_AGENT),
        planner=EvaluationPlanner(staff.size),
    )
    snapshot_days = set(staff.change_days().tolist())
    rows: Counter[str] = Counter({name: 0 for name in EXTRACTS_BY_NAME})

    for month in range(months):
        first = clock.add_months(start, month)
        days = clock.month_days(first)
        stamp = clock.month_stamp(first)
        attendance = plan_month(staff, leave, first, _rng(seed, _MONTH, month))
        state.defects.start_month()
        hr_rng = _rng(seed, _HR_FILES, month)

        schedule = attendance.schedule_table(staff)
        broken = pick_rows(
            np.arange(len(schedule["agent_id"])),
            state.defects.draw("schedules", len(schedule["agent_id"]), hr_rng),
            hr_rng,
        )
        rows["schedules"] += write_extract(
            landing, EXTRACTS_BY_NAME["schedules"], stamp, spoil("schedules", schedule, broken, hr_rng)
        )
        rows["leave"] += write_extract(
            landing, EXTRACTS_BY_NAME["leave"], stamp, leave.table(leave.starting_in(days), staff)
        )

        legs_in_month = 0
        for day in days.tolist():
            if day == days[0] or day in snapshot_days:
                rows["agents"] += write_extract(
                    landing, EXTRACTS_BY_NAME["agents"], clock.day_stamp(day), staff.snapshot(day)
                )
            files, legs = simulate_day(day, attendance, int(days[-1]), state, _rng(seed, _DAY, day))
            for name, table in files.items():
                rows[name] += write_extract(landing, EXTRACTS_BY_NAME[name], clock.day_stamp(day), table)
            legs_in_month += legs

        rows["ratings"] += write_extract(
            landing, EXTRACTS_BY_NAME["ratings"], stamp, ratings(first, attendance, staff, hr_rng)
        )
        if progress:
            progress(f"{stamp}: {legs_in_month:,} call legs")
    return dict(rows)


def _rng(seed: int, stream: int, *keys: int) -> np.random.Generator:
    return np.random.default_rng([seed, stream, *keys])
