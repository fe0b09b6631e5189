"""The sample-centre generator: deterministic, contract-shaped and realistic landing files."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from ingestion.contract import (
    EXTRACTS,
    EXTRACTS_BY_NAME,
    FALSE_WORDS,
    TRUE_WORDS,
    Column,
    Extract,
)
from ingestion.sample import generate_centre

START = date(2026, 8, 1)
DAYS = [START + timedelta(days=i) for i in range(31)]
TIMESTAMP = "%Y-%m-%d %H:%M:%S"


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("landing")
    generate_centre(folder, agents=12, teams=3, start=START, months=1, seed=3)
    return folder


def files_of(landing: Path, extract: Extract) -> list[Path]:
    return sorted((landing / extract.folder).glob("*.csv"))


def read_file(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    data = path.read_bytes()
    text = data[3:].decode("utf-8") if data.startswith(b"\xef\xbb\xbf") else _utf8_or_gb18030(data)
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    return header, [dict(zip(header, row)) for row in reader]


def _utf8_or_gb18030(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


@functools.cache
def rows_of(landing: Path, extract: Extract) -> list[tuple[str, dict[str, str]]]:
    """(file name, row) for every row of every file of the extract; read once per folder."""
    return [(path.name, row) for path in files_of(landing, extract) for row in read_file(path)[1]]


def breaks_a_rule(extract: Extract, row: dict[str, str]) -> bool:
    """The contract's row rules, judged independently of the loader."""
    for column in extract.columns:
        value = row[column.name].strip()
        if not value:
            if column.required:
                return True
            continue
        if not _parses(column, value):
            return True
    for rule in extract.ordered:
        earlier, later = row[rule.earlier], row[rule.later]
        if earlier and later and later < earlier:
            return True
    return False


def _parses(column: Column, value: str) -> bool:
    try:
        match column.type:
            case "enum":
                return value.lower() in column.values
            case "integer":
                return re.fullmatch(r"[+-]?\d+", value) is not None and _in_range(column, int(value))
            case "number":
                return _in_range(column, float(value))
            case "timestamp":
                datetime.strptime(value, TIMESTAMP)
            case "date":
                datetime.strptime(value, "%Y-%m-%d")
            case "time":
                datetime.strptime(value, "%H:%M")
            case "month":
                datetime.strptime(value, "%Y-%m")
            case "boolean":
                return value.lower() in TRUE_WORDS + FALSE_WORDS
    except ValueError:
        return False
    return True


def _in_range(column: Column, number: float) -> bool:
    return (column.minimum is None or number >= column.minimum) and (column.maximum is None or number <= column.maximum)


@functools.cache
def valid_rows(landing: Path, extract: Extract) -> list[dict[str, str]]:
    """Rows the loader accepts: every rule kept, and for centre-unique keys the first delivery."""
    seen: set[tuple[str, ...]] = set()
    accepted = []
    for _, row in rows_of(landing, extract):
        if breaks_a_rule(extract, row):
            continue
        if extract.key_scope == "centre":
            key = tuple(row[k] for k in extract.key)
            if key in seen:
                continue
            seen.add(key)
        accepted.append(row)
    return accepted


def broken_rows(landing: Path, name: str) -> int:
    extract = EXTRACTS_BY_NAME[name]
    return sum(1 for _, row in rows_of(landing, extract) if breaks_a_rule(extract, row))


def ts(value: str) -> datetime:
    return datetime.strptime(value, TIMESTAMP)


def test_the_same_seed_writes_byte_identical_files_and_another_seed_does_not(tmp_path):
    def generate(folder: str, seed: int) -> dict[str, bytes]:
        generate_centre(tmp_path / folder, agents=4, teams=2, start=date(2026, 12, 1), months=1, seed=seed)
        return {
            str(p.relative_to(tmp_path / folder)): p.read_bytes() for p in sorted((tmp_path / folder).rglob("*.csv"))
        }

    first, again, other = generate("first", 11), generate("again", 11), generate("other", 12)

    assert first == again
    calls = "telephony/calls/calls_2026-12-14.csv"
    assert first[calls] != other[calls]


def test_every_file_has_the_contract_header_in_contract_order(landing):
    for extract in EXTRACTS:
        for path in files_of(landing, extract):
            assert read_file(path)[0] == [c.name for c in extract.columns], path.name


def test_hr_files_are_gb18030_and_the_others_utf8_with_surveys_carrying_a_bom(landing):
    for extract in EXTRACTS:
        for path in files_of(landing, extract):
            data = path.read_bytes()
            if extract.system == "hr":
                text = data.decode("gb18030")
                if re.search(r"[\u4e00-\u9fff]", text):
                    with pytest.raises(UnicodeDecodeError):
                        data.decode("utf-8")
            else:
                data.decode("utf-8")
                assert data.startswith(b"\xef\xbb\xbf") == (extract.name == "surveys"), path.name
    names = [row["name"] for _, row in rows_of(landing, EXTRACTS_BY_NAME["agents"])]
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", name) for name in names)


def test_every_daily_file_exists_for_every_day_and_every_monthly_file_for_the_month(landing):
    for extract in EXTRACTS:
        names = {p.name for p in files_of(landing, extract)}
        if extract.period == "month":
            assert names == {f"{extract.file_prefix}_2026-08.csv"}
        elif extract.name == "agents":
            assert f"agents_{START.isoformat()}.csv" in names
        else:
            assert names == {f"{extract.file_prefix}_{d.isoformat()}.csv" for d in DAYS}


def test_the_returned_counts_are_the_rows_in_the_files_and_progress_reports_each_month(tmp_path):
    lines: list[str] = []
    counts = generate_centre(
        tmp_path, agents=3, teams=2, start=date(2027, 1, 1), months=2, seed=5, progress=lines.append
    )

    assert counts == {e.name: len(rows_of(tmp_path, e)) for e in EXTRACTS}
    assert [line.split(":")[0] for line in lines] == ["2027-01", "2027-02"]
    assert all("call legs" in line for line in lines)


def test_broken_rows_exist_and_stay_below_two_percent_of_each_extract(landing):
    broken_share = {}
    for extract in EXTRACTS:
        rows = [row for _, row in rows_of(landing, extract)]
        broken = len(rows) - len(valid_rows(landing, extract))
        broken_share[extract.name] = broken / len(rows)
    assert all(share < 0.02 for share in broken_share.values()), broken_share
    assert broken_share["calls"] > 0 and broken_share["states"] > 0
    assert broken_share["agents"] == broken_share["ratings"] == broken_share["leave"] == 0


def test_a_broken_call_can_be_a_call_id_already_delivered_on_an_earlier_day(landing):
    first_file: dict[str, str] = {}
    repeated = []
    for file_name, row in rows_of(landing, EXTRACTS_BY_NAME["calls"]):
        if row["call_id"] in first_file and first_file[row["call_id"]] != file_name:
            repeated.append(row["call_id"])
        first_file.setdefault(row["call_id"], file_name)
    assert repeated


def roster_on(landing: Path, day: date) -> dict[str, dict[str, str]]:
    """The newest snapshot dated on or before `day`, by agent_id."""
    snapshots = [p for p in files_of(landing, EXTRACTS_BY_NAME["agents"]) if p.stem.split("_")[1] <= day.isoformat()]
    return {row["agent_id"]: row for row in read_file(snapshots[-1])[1]}


def test_calls_are_handled_by_agents_employed_on_the_roster_that_day(landing):
    calls = valid_rows(landing, EXTRACTS_BY_NAME["calls"])
    handled = [c for c in calls if c["agent_id"]]
    assert handled
    for day in {c["enqueued_at"][:10] for c in handled}:
        roster = roster_on(landing, date.fromisoformat(day))
        for call in (c for c in handled if c["enqueued_at"].startswith(day)):
            person = roster[call["agent_id"]]
            assert person["role"] == "agent" and person["hire_date"] <= day
            assert not person["termination_date"] or day < person["termination_date"]


def test_evaluations_and_surveys_reference_existing_calls_of_the_same_agent(landing):
    agent_of_call = {c["call_id"]: c["agent_id"] for c in valid_rows(landing, EXTRACTS_BY_NAME["calls"])}
    for name in ("evaluations", "surveys"):
        rows = valid_rows(landing, EXTRACTS_BY_NAME[name])
        assert rows
        assert all(agent_of_call[r["call_id"]] == r["agent_id"] for r in rows), name
    complaint_calls = [r["call_id"] for r in valid_rows(landing, EXTRACTS_BY_NAME["complaints"]) if r["call_id"]]
    assert complaint_calls and all(c in agent_of_call for c in complaint_calls)


def test_most_agent_weeks_have_two_evaluations_and_a_few_only_one(landing):
    per_week = Counter(
        (r["agent_id"], ts(r["evaluated_at"]).isocalendar()[:2])
        for r in valid_rows(landing, EXTRACTS_BY_NAME["evaluations"])
    )
    full_weeks = {(2026, w) for w in (32, 33, 34, 35)}
    counts = Counter(n for (_, week), n in per_week.items() if week in full_weeks)
    assert counts[2] > counts[1] + counts[3]
    assert counts[1] > 0


def test_states_tile_every_session_and_on_call_states_are_the_agents_calls(landing):
    sessions = defaultdict(list)
    for s in valid_rows(landing, EXTRACTS_BY_NAME["sessions"]):
        sessions[(s["agent_id"], s["login_at"][:10])].append((s["login_at"], s["logout_at"]))
    states = defaultdict(list)
    for s in rows_of(landing, EXTRACTS_BY_NAME["states"]):
        states[(s[1]["agent_id"], s[1]["started_at"][:10])].append(s[1])
    untiled = 0
    for key, spans in sessions.items():
        merged: list[list[str]] = []
        for state in sorted(states[key], key=lambda s: s["started_at"]):
            if merged and merged[-1][1] == state["started_at"]:
                merged[-1][1] = state["ended_at"]
            else:
                merged.append([state["started_at"], state["ended_at"]])
        untiled += [tuple(m) for m in merged] != sorted(spans)
    broken_states = broken_rows(landing, "states")
    assert untiled <= broken_states and untiled < len(sessions) / 2

    on_call = Counter(
        (s["agent_id"], s["started_at"], s["ended_at"])
        for _, s in rows_of(landing, EXTRACTS_BY_NAME["states"])
        if s["state"] == "on_call"
    )
    calls = [c for _, c in rows_of(landing, EXTRACTS_BY_NAME["calls"]) if c["agent_id"]]
    connected = Counter(
        (c["agent_id"], c["enqueued_at"] if c["direction"] == "outbound" else c["answered_at"], c["ended_at"])
        for c in calls
    )
    broken = broken_rows(landing, "calls") + broken_states
    assert sum((connected - on_call).values()) <= broken
    assert sum((on_call - connected).values()) <= broken


def test_calls_are_answered_by_agents_while_they_are_logged_in(landing):
    sessions = defaultdict(list)
    for s in valid_rows(landing, EXTRACTS_BY_NAME["sessions"]):
        sessions[s["agent_id"]].append((s["login_at"], s["logout_at"]))
    handled = [c for c in valid_rows(landing, EXTRACTS_BY_NAME["calls"]) if c["answered_at"] and c["agent_id"]]
    inside = [
        any(login <= c["answered_at"] and c["ended_at"] <= logout for login, logout in sessions[c["agent_id"]])
        for c in handled
    ]
    assert sum(inside) / len(inside) > 0.98


def test_first_call_resolution_is_well_below_one_because_of_repeats_and_call_backs(landing):
    calls = valid_rows(landing, EXTRACTS_BY_NAME["calls"])
    by_customer = defaultdict(list)
    for c in calls:
        by_customer[c["customer_number"]].append(c)
    end_of_data = max(ts(c["enqueued_at"]) for c in calls)
    window = timedelta(hours=168)
    decided = resolved_first_time = repeated = called_back = 0
    for c in calls:
        if c["direction"] != "inbound" or not c["answered_at"] or ts(c["ended_at"]) + window > end_of_data:
            continue
        ended = ts(c["ended_at"])
        later = [o for o in by_customer[c["customer_number"]] if ended < ts(o["enqueued_at"]) <= ended + window]
        repeat = any(o["direction"] == "inbound" and not o["parent_call_id"] for o in later)
        call_back = any(o["direction"] == "outbound" for o in later)
        decided += 1
        repeated += repeat
        called_back += call_back
        resolved_first_time += c["outcome"] == "resolved" and not repeat and not call_back
    assert repeated > 0 and called_back > 0
    assert 0.55 < resolved_first_time / decided < 0.88


def test_queue_service_level_abandonment_and_the_intraday_peaks_are_plausible(landing):
    offered = [
        c
        for c in valid_rows(landing, EXTRACTS_BY_NAME["calls"])
        if c["direction"] == "inbound" and not c["parent_call_id"]
    ]
    answered_in_20s = sum(
        1 for c in offered if c["answered_at"] and (ts(c["answered_at"]) - ts(c["enqueued_at"])).seconds <= 20
    )
    abandoned = [c for c in offered if c["outcome"] == "abandoned"]
    assert 0.75 <= answered_in_20s / len(offered) <= 0.92
    assert all(not c["agent_id"] and not c["answered_at"] for c in abandoned)
    assert 0.02 < len(abandoned) / len(offered) < 0.08
    by_hour = Counter(ts(c["enqueued_at"]).hour for c in offered)
    assert by_hour[10] > by_hour[12] < by_hour[14]
    assert by_hour[10] > by_hour[8] and by_hour[15] > by_hour[17]


def test_transfers_are_child_legs_picked_up_by_the_second_line(landing):
    calls = {c["call_id"]: c for c in valid_rows(landing, EXTRACTS_BY_NAME["calls"])}
    roster = roster_on(landing, DAYS[-1])
    children = [c for c in calls.values() if c["parent_call_id"]]
    assert children
    for child in children:
        parent = calls[child["parent_call_id"]]
        assert parent["outcome"] == "transferred" and parent["customer_number"] == child["customer_number"]
        assert child["enqueued_at"] >= parent["ended_at"]
        assert roster[child["agent_id"]]["tier"] == "second_line"


def test_attendance_has_late_early_and_absent_days_at_plausible_rates(landing):
    first_login, last_logout = {}, {}
    for s in valid_rows(landing, EXTRACTS_BY_NAME["sessions"]):
        key = (s["agent_id"], s["login_at"][:10])
        first_login[key] = min(first_login.get(key, s["login_at"]), s["login_at"])
        last_logout[key] = max(last_logout.get(key, s["logout_at"]), s["logout_at"])
    approved_leave = set()
    for leave in valid_rows(landing, EXTRACTS_BY_NAME["leave"]):
        if leave["approved"].lower() in TRUE_WORDS:
            day = date.fromisoformat(leave["start_date"])
            while day <= date.fromisoformat(leave["end_date"]):
                approved_leave.add((leave["agent_id"], day.isoformat()))
                day += timedelta(days=1)
    status = Counter()
    for shift in valid_rows(landing, EXTRACTS_BY_NAME["schedules"]):
        key = (shift["agent_id"], shift["shift_date"])
        if key in approved_leave:
            status["leave"] += 1
            assert key not in first_login
            continue
        if key not in first_login:
            status["absent"] += 1
            continue
        late = (ts(first_login[key]) - ts(f"{key[1]} 08:30:00")).total_seconds() // 60
        early = (ts(f"{key[1]} 17:35:00") - ts(last_logout[key])).total_seconds() // 60
        status[
            "absent" if late > 60 or early > 60 else "late" if late > 0 else "early" if early > 0 else "on_time"
        ] += 1
    scheduled = sum(status.values())
    assert status["late"] > 0 and status["early"] > 0 and status["absent"] > 0
    assert 0.02 < status["late"] / scheduled < 0.10
    assert status["absent"] / scheduled < 0.06
    assert status["on_time"] / scheduled > 0.8


def test_busy_spells_sometimes_pass_the_fifteen_minute_limit(landing):
    busy = [s for s in valid_rows(landing, EXTRACTS_BY_NAME["states"]) if s["state"] == "busy"]
    long_spells = [s for s in busy if (ts(s["ended_at"]) - ts(s["started_at"])).total_seconds() > 15 * 60]
    assert busy and 0 < len(long_spells) < 0.1 * len(busy)


def test_the_roster_shows_roles_tiers_a_team_move_a_new_hire_on_probation_and_a_leaver(landing):
    snapshots = [read_file(p)[1] for p in files_of(landing, EXTRACTS_BY_NAME["agents"])]
    assert len(snapshots) > 1
    first, last = ({r["agent_id"]: r for r in s} for s in (snapshots[0], snapshots[-1]))
    assert {r["role"] for r in last.values()} == {"agent", "team_lead", "qa", "supervisor"}
    assert {r["tier"] for r in last.values()} == {"first_line", "second_line"}
    assert any(first[a]["team"] != last[a]["team"] for a in first)
    hires = [r for a, r in last.items() if a not in first]
    assert hires and all(START.isoformat() < r["hire_date"] <= DAYS[-1].isoformat() for r in hires)
    for hire in hires:
        assert hire["probation_end_date"] == _three_months_after(date.fromisoformat(hire["hire_date"])).isoformat()
    assert any(r["termination_date"] for r in last.values())
    assert all(
        re.fullmatch(r"\d{17}[\dX]", r["id_card_number"]) and _id_check(r["id_card_number"]) for r in last.values()
    )


def _three_months_after(day: date) -> date:
    months = day.month + 2
    year, month = day.year + months // 12, months % 12 + 1
    last_day = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


def _id_check(number: str) -> bool:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(d) * w for d, w in zip(number[:17], weights)) % 11] == number[17]


def test_customer_numbers_are_chinese_mobile_numbers(landing):
    numbers = {r["customer_number"] for _, r in rows_of(landing, EXTRACTS_BY_NAME["calls"])}
    assert all(re.fullmatch(r"1[3-9]\d{9}", n) for n in numbers)


def test_complaints_are_redelivered_in_later_files_with_a_newer_state(landing):
    deliveries = defaultdict(list)
    for file_name, row in rows_of(landing, EXTRACTS_BY_NAME["complaints"]):
        deliveries[row["complaint_id"]].append((file_name, row["resolution"]))
    redelivered = [sorted(d) for d in deliveries.values() if len(d) > 1]
    assert any(d[0][1] == "open" and d[-1][1] in ("success", "failed") for d in redelivered)
    complaints = valid_rows(landing, EXTRACTS_BY_NAME["complaints"])
    assert {"phone", "online"} <= {c["channel"] for c in complaints}
    assert any(not c["due_at"] for c in complaints) and any(c["due_at"] for c in complaints)


def test_surveys_are_mostly_satisfied(landing):
    scores = Counter(int(s["score"]) for s in valid_rows(landing, EXTRACTS_BY_NAME["surveys"]))
    assert set(scores) <= {1, 2, 3, 4, 5}
    assert 0.75 < (scores[4] + scores[5]) / sum(scores.values()) < 0.95
