"""A reference for the marts: the KPIs of KPIS.md computed straight from the landing files.

Plain Python over the CSV files, sharing nothing with the loader or the dbt models except the
scoring policy file. The contract's row rules are applied just far enough to drop the rows the
loader quarantines; then every KPI is counted the way KPIS.md words it, in loops that read like the
rule. Clarity over speed: this is what the marts are checked against.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from orchestration.lib.policy import Policy

CALL_OUTCOMES = ("resolved", "transferred", "callback_required", "unresolved", "abandoned", "no_answer")
STATES = ("available", "on_call", "wrap", "busy", "break", "meeting", "training")
TRUE_WORDS = ("true", "1", "y", "yes", "是")
FALSE_WORDS = ("false", "0", "n", "no", "否")
PHONE_SEPARATORS = re.compile(r"[\s\-().]")
OFFSET_AT_END = re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)$")
FILE_DATE = re.compile(r"_(\d{4}-\d{2}(-\d{2})?)\.csv$")


@dataclass(frozen=True)
class RowRules:
    """One extract's row rules from EXTRACTS.md: a row breaking any of them is not loaded."""

    folder: str
    required: tuple[str, ...] = ()
    enums: dict[str, tuple[str, ...]] = field(default_factory=dict)
    timestamps: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    counts: tuple[str, ...] = ()
    """Whole numbers >= 0 (durations)."""
    numbers: dict[str, tuple[float, float]] = field(default_factory=dict)
    """Numbers within (minimum, maximum)."""
    whole_numbers: dict[str, tuple[int, int]] = field(default_factory=dict)
    booleans: tuple[str, ...] = ()
    ordered: tuple[tuple[str, str], ...] = ()
    """(earlier, later): later may not be before earlier."""
    unique: tuple[str, ...] = ()
    """A key unique across files: the first delivery stands."""


RULES = {
    "calls": RowRules(
        folder="telephony/calls",
        required=("call_id", "direction", "queue", "enqueued_at", "ended_at", "talk_seconds", "hold_seconds", "wrap_seconds", "outcome"),
        enums={"direction": ("inbound", "outbound"), "outcome": CALL_OUTCOMES},
        timestamps=("enqueued_at", "answered_at", "ended_at"),
        counts=("talk_seconds", "hold_seconds", "wrap_seconds"),
        ordered=(("enqueued_at", "ended_at"),),
        unique=("call_id",),
    ),
    "sessions": RowRules(
        folder="telephony/sessions",
        required=("agent_id", "login_at"),
        timestamps=("login_at", "logout_at"),
        ordered=(("login_at", "logout_at"),),
    ),
    "states": RowRules(
        folder="telephony/states",
        required=("agent_id", "state", "started_at", "ended_at"),
        enums={"state": STATES},
        timestamps=("started_at", "ended_at"),
        ordered=(("started_at", "ended_at"),),
    ),
    "agents": RowRules(
        folder="hr/agents",
        required=("agent_id", "name", "team", "tier", "role", "hire_date"),
        enums={"tier": ("first_line", "second_line"), "role": ("agent", "team_lead", "qa", "supervisor")},
        dates=("hire_date", "probation_end_date", "termination_date"),
    ),
    "schedules": RowRules(
        folder="hr/schedules",
        required=("agent_id", "shift_date", "shift_start", "shift_end"),
        dates=("shift_date",),
        times=("shift_start", "shift_end"),
        unique=("agent_id", "shift_date"),
    ),
    "leave": RowRules(
        folder="hr/leave",
        required=("leave_id", "agent_id", "leave_type", "start_date", "end_date", "approved"),
        enums={"leave_type": ("personal", "sick", "annual", "bereavement", "other")},
        dates=("start_date", "end_date"),
        booleans=("approved",),
        ordered=(("start_date", "end_date"),),
        unique=("leave_id",),
    ),
    "ratings": RowRules(
        folder="hr/ratings",
        required=("agent_id", "month", "rater_id"),
        months=("month",),
        numbers={
            name: (1, 5)
            for name in ("communication", "problem_solving", "learning", "teamwork", "responsibility", "service_attitude")
        },
    ),
    "evaluations": RowRules(
        folder="qa/evaluations",
        required=("evaluation_id", "call_id", "agent_id", "evaluator_id", "evaluated_at", "mode", "score"),
        enums={"mode": ("live", "recorded", "callback")},
        timestamps=("evaluated_at",),
        numbers={"score": (0, 100)},
        booleans=("answer_accurate", "fatal_error"),
        unique=("evaluation_id",),
    ),
    "complaints": RowRules(
        folder="qa/complaints",
        required=("complaint_id", "received_at", "channel", "resolution"),
        enums={"channel": ("phone", "online", "email", "letter"), "resolution": ("open", "success", "failed", "withdrawn")},
        timestamps=("received_at", "due_at", "first_response_at", "resolved_at"),
    ),
    "surveys": RowRules(
        folder="qa/surveys",
        required=("survey_id", "call_id", "agent_id", "responded_at", "score"),
        timestamps=("responded_at",),
        whole_numbers={"score": (1, 5)},
        unique=("survey_id",),
    ),
}


class Broken(ValueError):
    """A value that breaks its column's rule."""


def month_of(moment: date | datetime) -> date:
    return date(moment.year, moment.month, 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def normalised_number(text: str) -> str | None:
    """A phone number as the loader hashes it: the same customer however the number is written."""
    number = PHONE_SEPARATORS.sub("", text.strip())
    return number or None


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def seconds_within(start: datetime, end: datetime, period_start: datetime, period_end: datetime) -> float:
    """The seconds of [start, end) that fall within [period_start, period_end)."""
    return max(0.0, (min(end, period_end) - max(start, period_start)).total_seconds())


class LandingReader:
    """Reads the landing files and keeps the rows that pass the contract's row rules, typed."""

    def __init__(self, landing: Path, timezone: str) -> None:
        self.landing = landing
        self.zone = ZoneInfo(timezone)

    def rows(self, extract: str) -> list[dict]:
        rules = RULES[extract]
        accepted = []
        for path in sorted((self.landing / rules.folder).glob("*.csv"), key=lambda p: (self._file_date(p), p.name)):
            for line_number, raw in self._read(path, rules):
                try:
                    row = self._typed(raw, rules)
                except Broken:
                    continue
                row["_file_date"] = self._file_date(path)
                row["_file_name"] = path.name
                row["_line_number"] = line_number
                accepted.append(row)
        return self._first_delivery_of_each_key(accepted, rules.unique) if rules.unique else accepted

    @staticmethod
    def _file_date(path: Path) -> date:
        stamp = FILE_DATE.search(path.name).group(1)
        return date.fromisoformat(stamp if len(stamp) == 10 else f"{stamp}-01")

    @staticmethod
    def _read(path: Path, rules: RowRules) -> list[tuple[int, dict]]:
        """(line number, row with lower-case header names); a file missing a required column gives nothing."""
        encoding = "gb18030" if rules.folder.startswith("hr/") else "utf-8-sig"
        reader = csv.DictReader(io.StringIO(path.read_bytes().decode(encoding), newline=""))
        header = [name.strip().lower() for name in reader.fieldnames or []]
        if any(name not in header for name in rules.required):
            return []
        return [
            (index + 2, {name.strip().lower(): (value or "") for name, value in raw.items() if name is not None})
            for index, raw in enumerate(reader)
        ]

    def _typed(self, raw: dict, rules: RowRules) -> dict:
        row = {name: value.strip() or None for name, value in raw.items()}
        for name in rules.required:
            if row.get(name) is None:
                raise Broken(name)
        for name, values in rules.enums.items():
            if row.get(name) is not None:
                row[name] = row[name].lower()
                if row[name] not in values:
                    raise Broken(name)
        for names, parse in (
            (rules.timestamps, self._timestamp),
            (rules.dates, lambda text: datetime.strptime(text, "%Y-%m-%d").date()),
            (rules.times, self._time_of_day),
            (rules.months, lambda text: datetime.strptime(text, "%Y-%m").date()),
            (rules.counts, partial(self._whole_number, low=0, high=math.inf)),
            (rules.booleans, self._boolean),
        ):
            for name in names:
                row[name] = self._parsed(row.get(name), parse)
        for name, (low, high) in rules.numbers.items():
            row[name] = self._parsed(row.get(name), partial(self._number, low=low, high=high))
        for name, (low, high) in rules.whole_numbers.items():
            row[name] = self._parsed(row.get(name), partial(self._whole_number, low=low, high=high))
        for earlier, later in rules.ordered:
            if row.get(earlier) is not None and row.get(later) is not None and row[later] < row[earlier]:
                raise Broken(later)
        return row

    @staticmethod
    def _parsed(text: str | None, parse):
        if text is None:
            return None
        try:
            return parse(text)
        except ValueError as error:
            raise Broken(text) from error

    def _timestamp(self, text: str) -> datetime:
        """Local wall-clock time; a timestamp with an offset is moved onto the centre's clock."""
        if OFFSET_AT_END.search(text):
            return datetime.fromisoformat(text).astimezone(self.zone).replace(tzinfo=None)
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")

    @staticmethod
    def _time_of_day(text: str) -> time:
        return datetime.strptime(text, "%H:%M").time()

    @staticmethod
    def _whole_number(text: str, low: float, high: float) -> int:
        if not re.fullmatch(r"[+-]?\d+", text) or not low <= int(text) <= high:
            raise ValueError(text)
        return int(text)

    @staticmethod
    def _number(text: str, low: float, high: float) -> float:
        value = float(text)
        if not low <= value <= high:
            raise ValueError(text)
        return value

    @staticmethod
    def _boolean(text: str) -> bool:
        if text.lower() in TRUE_WORDS:
            return True
        if text.lower() in FALSE_WORDS:
            return False
        raise ValueError(text)

    @staticmethod
    def _first_delivery_of_each_key(rows: list[dict], key: tuple[str, ...]) -> list[dict]:
        """Rows come in delivery order (file date, file name, line): a key seen before is a duplicate."""
        seen = set()
        first = []
        for row in rows:
            identity = tuple(row[name] for name in key)
            if identity not in seen:
                seen.add(identity)
                first.append(row)
        return first


def latest_delivery(rows: list[dict], key: tuple[str, ...]) -> list[dict]:
    """The last delivered row of each key (rows are in delivery order)."""
    latest = {}
    for row in rows:
        latest[tuple(row[name] for name in key)] = row
    return list(latest.values())


class IndependentKpis:
    """Every KPI of KPIS.md per agent and month, per queue and day, and the monthly score."""

    def __init__(self, landing: Path, policy: Policy, timezone: str = "Asia/Shanghai") -> None:
        reader = LandingReader(landing, timezone)
        self.policy = policy
        self.calls = reader.rows("calls")
        self.sessions = reader.rows("sessions")
        self.states = reader.rows("states")
        self.snapshots = reader.rows("agents")
        self.schedules = reader.rows("schedules")
        self.leave = reader.rows("leave")
        self.ratings = latest_delivery(reader.rows("ratings"), ("agent_id", "month"))
        self.evaluations = reader.rows("evaluations")
        self.complaints = latest_delivery(reader.rows("complaints"), ("complaint_id",))
        self.surveys = reader.rows("surveys")
        self.agent_months: dict[tuple[str, date], dict] = defaultdict(self.empty_month)
        self.days: list[dict] = []
        self._count_calls()
        self._count_first_call_resolution()
        self._count_acd_time()
        self._count_attendance()
        self._count_quality()
        self._count_complaints()
        self._attach_ratings()
        self._finish_rates()

    @staticmethod
    def empty_month() -> dict:
        return {
            "handled_calls": 0,
            "inbound_handled": 0,
            "outbound_handled": 0,
            "talk_seconds": 0,
            "hold_seconds": 0,
            "wrap_seconds": 0,
            "fcr_resolved_calls": 0,
            "fcr_decidable_calls": 0,
            "logged_in_seconds": 0.0,
            "handle_seconds": 0.0,
            "available_seconds": 0.0,
            "busy_violations": 0,
            "scheduled_days": 0,
            "present_days": 0,
            "leave_days": 0,
            "absent_days": 0,
            "late_days": 0,
            "early_leave_days": 0,
            "qa_scores": [],
            "accurate_answers": 0,
            "fatal_errors": 0,
            "surveys": 0,
            "satisfied_surveys": 0,
            "complaints_handled": 0,
            "complaints_in_time": 0,
            "complaints_successful": 0,
            "complaints_received": 0,
            "team": None,
            "role": None,
            "ratings": {},
        }

    # Calls -------------------------------------------------------------------------------------

    @staticmethod
    def is_handled(call: dict) -> bool:
        """An agent answered it; an outbound call only counts when the callee talked."""
        if call["agent_id"] is None or call["answered_at"] is None:
            return False
        return call["direction"] == "inbound" or call["talk_seconds"] > 0

    def _count_calls(self) -> None:
        for call in self.calls:
            if not self.is_handled(call):
                continue
            month = self.agent_months[(call["agent_id"], month_of(call["answered_at"]))]
            month["handled_calls"] += 1
            month[f"{call['direction']}_handled"] += 1
            month["talk_seconds"] += call["talk_seconds"]
            month["hold_seconds"] += call["hold_seconds"]
            month["wrap_seconds"] += call["wrap_seconds"]

    def _count_first_call_resolution(self) -> None:
        window = timedelta(hours=self.policy.get("fcr.repeat_window_hours"))
        end_of_data = max(call["enqueued_at"] for call in self.calls)
        # What can follow a call of customer K: a new inbound offer from K, or an agent dialling K.
        follow_ups = defaultdict(list)
        for call in self.calls:
            customer = normalised_number(call["customer_number"] or "")
            is_new_offer = call["direction"] == "inbound" and call["parent_call_id"] is None
            if customer and (is_new_offer or call["direction"] == "outbound"):
                follow_ups[customer].append(call["enqueued_at"])
        for call in self.calls:
            customer = normalised_number(call["customer_number"] or "")
            if call["direction"] != "inbound" or not self.is_handled(call) or customer is None:
                continue
            window_end = call["ended_at"] + window
            if window_end > end_of_data:
                continue  # not yet decidable: a later load closes the window
            followed = any(call["ended_at"] < moment <= window_end for moment in follow_ups[customer])
            month = self.agent_months[(call["agent_id"], month_of(call["answered_at"]))]
            month["fcr_decidable_calls"] += 1
            if call["outcome"] == "resolved" and not followed:
                month["fcr_resolved_calls"] += 1

    def queue_days(self) -> dict[tuple[str, date], dict]:
        """Per queue and local date of enqueue: offered, answered, abandoned, service level, ASA."""
        threshold = self.policy.get("queue.service_level_seconds")
        days: dict[tuple[str, date], dict] = {}
        for call in self.calls:
            if call["direction"] != "inbound" or call["parent_call_id"] is not None:
                continue
            day = days.setdefault(
                (call["queue"], call["enqueued_at"].date()),
                {"offered": 0, "answered": 0, "abandoned": 0, "within_service_level": 0, "waits": []},
            )
            day["offered"] += 1
            if call["answered_at"] is not None:
                wait = (call["answered_at"] - call["enqueued_at"]).total_seconds()
                day["answered"] += 1
                day["waits"].append(wait)
                if wait <= threshold:
                    day["within_service_level"] += 1
            elif call["outcome"] == "abandoned":
                day["abandoned"] += 1
        for day in days.values():
            day["abandon_rate"] = ratio(day["abandoned"], day["offered"])
            day["service_level"] = ratio(day["within_service_level"], day["offered"])
            day["asa_seconds"] = mean(day["waits"])
        return days

    # Time on the ACD ---------------------------------------------------------------------------

    def _count_acd_time(self) -> None:
        busy_limit = timedelta(minutes=self.policy.get("acd.busy_limit_minutes"))
        for session in self.sessions:
            if session["logout_at"] is None:
                raise NotImplementedError(
                    f"{session['_file_name']} line {session['_line_number']}: an open session; KPIS.md does not say where it ends"
                )
            for month, start, end in self._months_spanned(session["login_at"], session["logout_at"]):
                self.agent_months[(session["agent_id"], month)]["logged_in_seconds"] += seconds_within(
                    session["login_at"], session["logout_at"], start, end
                )
        for state in self.states:
            if state["state"] == "busy" and state["ended_at"] - state["started_at"] > busy_limit:
                self.agent_months[(state["agent_id"], month_of(state["started_at"]))]["busy_violations"] += 1
            measure = {"on_call": "handle_seconds", "wrap": "handle_seconds", "available": "available_seconds"}.get(state["state"])
            if measure is None:
                continue
            for month, start, end in self._months_spanned(state["started_at"], state["ended_at"]):
                self.agent_months[(state["agent_id"], month)][measure] += seconds_within(
                    state["started_at"], state["ended_at"], start, end
                )

    @staticmethod
    def _months_spanned(start: datetime, end: datetime) -> list[tuple[date, datetime, datetime]]:
        months = []
        month = month_of(start)
        while datetime.combine(month, time()) <= end:
            months.append((month, datetime.combine(month, time()), datetime.combine(next_month(month), time())))
            month = next_month(month)
        return months

    # Attendance --------------------------------------------------------------------------------

    def team_on(self, agent_id: str, day: date) -> dict | None:
        """The agent's row in the newest roster snapshot dated on or before the day."""
        found = None
        for snapshot in self.snapshots:
            is_newer = found is None or snapshot["_file_date"] >= found["_file_date"]
            if snapshot["agent_id"] == agent_id and snapshot["_file_date"] <= day and is_newer:
                found = snapshot
        return found

    def _on_approved_leave(self, agent_id: str, day: date) -> bool:
        return any(
            leave["agent_id"] == agent_id and leave["approved"] and leave["start_date"] <= day <= leave["end_date"]
            for leave in self.leave
        )

    def _count_attendance(self) -> None:
        absence_threshold = self.policy.get("attendance.absence_threshold_minutes")
        for shift in self.schedules:
            agent_id, day = shift["agent_id"], shift["shift_date"]
            starts_at = datetime.combine(day, shift["shift_start"])
            ends_on = day + timedelta(days=1) if shift["shift_end"] < shift["shift_start"] else day
            ends_at = datetime.combine(ends_on, shift["shift_end"])
            sessions = [s for s in self.sessions if s["agent_id"] == agent_id and s["login_at"].date() == day]
            verdict = {"agent_id": agent_id, "work_date": day, "late": False, "early_leave": False}
            if self._on_approved_leave(agent_id, day):
                verdict["status"] = "on_leave"
            elif not sessions:
                verdict["status"] = "absent"
            else:
                first_login = min(s["login_at"] for s in sessions)
                last_logout = max(s["logout_at"] for s in sessions)
                late_minutes = max(0, math.floor((first_login - starts_at).total_seconds() / 60))
                early_minutes = max(0, math.floor((ends_at - last_logout).total_seconds() / 60))
                if late_minutes > absence_threshold or early_minutes > absence_threshold:
                    verdict["status"] = "absent"
                else:
                    verdict.update(status="present", late=late_minutes > 0, early_leave=early_minutes > 0)
            self.days.append(verdict)
            month = self.agent_months[(agent_id, month_of(day))]
            month["scheduled_days"] += 1
            month[{"present": "present_days", "on_leave": "leave_days", "absent": "absent_days"}[verdict["status"]]] += 1
            month["late_days"] += verdict["late"]
            month["early_leave_days"] += verdict["early_leave"]
        self._assign_teams()

    def _assign_teams(self) -> None:
        """A month counts for the team of its last present scheduled day, else its last scheduled day."""
        days_by_month = defaultdict(list)
        for verdict in self.days:
            days_by_month[(verdict["agent_id"], month_of(verdict["work_date"]))].append(verdict)
        for (agent_id, month), days in days_by_month.items():
            present = [d["work_date"] for d in days if d["status"] == "present"]
            deciding_day = max(present) if present else max(d["work_date"] for d in days)
            roster_row = self.team_on(agent_id, deciding_day)
            if roster_row is not None:
                self.agent_months[(agent_id, month)]["team"] = roster_row["team"]
                self.agent_months[(agent_id, month)]["role"] = roster_row["role"]

    # Quality and complaints --------------------------------------------------------------------

    def _count_quality(self) -> None:
        satisfied = self.policy.get("quality.csat_satisfied_min_score")
        for evaluation in self.evaluations:
            month = self.agent_months[(evaluation["agent_id"], month_of(evaluation["evaluated_at"]))]
            month["qa_scores"].append(evaluation["score"])
            month["accurate_answers"] += evaluation["answer_accurate"] is True
            month["fatal_errors"] += evaluation["fatal_error"] is True
        for survey in self.surveys:
            month = self.agent_months[(survey["agent_id"], month_of(survey["responded_at"]))]
            month["surveys"] += 1
            month["satisfied_surveys"] += survey["score"] >= satisfied

    def _count_complaints(self) -> None:
        for complaint in self.complaints:
            if complaint["subject_agent_id"] is not None:
                self.agent_months[(complaint["subject_agent_id"], month_of(complaint["received_at"]))]["complaints_received"] += 1
            is_closed = complaint["resolution"] in ("success", "failed") and complaint["resolved_at"] is not None
            if complaint["handler_agent_id"] is None or not is_closed:
                continue
            due_at = complaint["due_at"] or complaint["received_at"] + timedelta(
                hours=self.policy.get(f"complaints.time_limit_hours.{complaint['channel']}")
            )
            month = self.agent_months[(complaint["handler_agent_id"], month_of(complaint["resolved_at"]))]
            month["complaints_handled"] += 1
            month["complaints_in_time"] += complaint["resolved_at"] <= due_at
            month["complaints_successful"] += complaint["resolution"] == "success"

    def _attach_ratings(self) -> None:
        for rating in self.ratings:
            self.agent_months[(rating["agent_id"], rating["month"])]["ratings"] = rating

    def _finish_rates(self) -> None:
        for month in self.agent_months.values():
            handled = month["handled_calls"]
            month["aht_seconds"] = ratio(month["talk_seconds"] + month["hold_seconds"] + month["wrap_seconds"], handled)
            month["avg_talk_seconds"] = ratio(month["talk_seconds"], handled)
            month["avg_wrap_seconds"] = ratio(month["wrap_seconds"], handled)
            month["calls_per_hour"] = ratio(handled, month["logged_in_seconds"] / 3600)
            month["fcr_rate"] = ratio(month["fcr_resolved_calls"], month["fcr_decidable_calls"])
            month["occupancy_rate"] = ratio(month["handle_seconds"], month["handle_seconds"] + month["available_seconds"])
            month["attendance_rate"] = ratio(month["present_days"], month["scheduled_days"])
            month["qa_evaluations"] = len(month["qa_scores"])
            month["qa_score"] = mean(month["qa_scores"])
            month["answer_accuracy_rate"] = ratio(month["accurate_answers"], month["qa_evaluations"])
            month["csat_rate"] = ratio(month["satisfied_surveys"], month["surveys"])
            month["complaint_timeliness_rate"] = ratio(month["complaints_in_time"], month["complaints_handled"])
            month["complaint_success_rate"] = ratio(month["complaints_successful"], month["complaints_handled"])

    # The monthly score -------------------------------------------------------------------------

    def is_scored(self, agent_id: str, month: date) -> bool:
        kpis = self.agent_months.get((agent_id, month))
        return kpis is not None and kpis["scheduled_days"] > 0 and kpis["role"] == "agent"

    def discipline_points(self, kpis: dict) -> float:
        rules = self.policy.get("scoring.discipline")
        lost = (
            rules["per_late_day"] * kpis["late_days"]
            + rules["per_early_leave_day"] * kpis["early_leave_days"]
            + rules["per_absent_day"] * kpis["absent_days"]
            + rules["per_busy_violation"] * kpis["busy_violations"]
        )
        return max(0, rules["start_points"] - lost)

    def component_value(self, kpis: dict, component: str) -> float | None:
        if component == "discipline":
            return self.discipline_points(kpis)
        if component in kpis:
            return kpis[component]
        return kpis["ratings"].get(component)

    @staticmethod
    def points(value: float, floor: float, target: float) -> float:
        """0 at the floor, 100 at the target, on the line between them, clamped."""
        return min(100.0, max(0.0, (value - floor) / (target - floor) * 100))

    def score(self, agent_id: str, month: date) -> tuple[float | None, str | None]:
        """(total_score, grade): components without data give their weight to their category's others."""
        kpis = self.agent_months[(agent_id, month)]
        weighted_categories, category_weights = 0.0, 0.0
        for category in self.policy.get("scoring.categories").values():
            weighted_points, present_weight = 0.0, 0.0
            for component, rule in category["components"].items():
                value = self.component_value(kpis, component)
                if value is None:
                    continue
                weighted_points += rule["weight"] * self.points(value, rule["floor"], rule["target"])
                present_weight += rule["weight"]
            if present_weight == 0:
                return None, None
            weighted_categories += category["weight"] * weighted_points / present_weight
            category_weights += category["weight"]
        total = weighted_categories / category_weights
        for grade, lowest in sorted(self.policy.get("scoring.grades").items(), key=lambda item: -item[1]):
            if total >= lowest:
                return total, grade
        return total, "fail"
