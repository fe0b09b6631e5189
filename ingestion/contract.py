"""The extract contract: every landing file the source systems deliver, declared once.

The loaders, the sample generator and the raw-layer schema are all driven by this module, so a
rule of the contract lives in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["string", "integer", "number", "timestamp", "date", "time", "month", "boolean", "enum"]
Personal = Literal["hash", "drop"]
Period = Literal["day", "month"]
KeyScope = Literal["centre", "file", "none"]

# A call leg, hold or wrap longer than a day is a broken export, not a long call.
MAX_DURATION_SECONDS = 86_400


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool = False
    values: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    personal: Personal | None = None

    @property
    def raw_name(self) -> str:
        """The column's name in the raw layer: hashed personal data says so in its name."""
        return f"{self.name}_hash" if self.personal == "hash" else self.name


@dataclass(frozen=True)
class Ordered:
    """`later` may not be before `earlier` when both are present."""

    earlier: str
    later: str


@dataclass(frozen=True)
class Extract:
    name: str
    folder: str
    period: Period
    columns: tuple[Column, ...]
    business_date: str | None
    """The column whose local date attributes a row to its day and month; None: the file's date."""
    key: tuple[str, ...] = ()
    key_scope: KeyScope = "none"
    """centre: unique across all files, the first delivery stands; file: unique within one file."""
    ordered: tuple[Ordered, ...] = ()
    required_for_month: bool = False
    """A month without any file of this extract cannot be published."""
    snapshot: bool = False
    """Each file restates the whole extract (a roster): delivered when it changes, not every day."""
    system: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "system", self.folder.split("/")[0])

    @property
    def file_prefix(self) -> str:
        return self.folder.split("/")[1]

    @property
    def raw_table(self) -> str:
        return f"raw.{self.name}"

    @property
    def stored_columns(self) -> tuple[Column, ...]:
        """The contract columns that reach the raw layer (dropped personal data does not)."""
        return tuple(c for c in self.columns if c.personal != "drop")

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _text(name: str, required: bool = False, personal: Personal | None = None) -> Column:
    return Column(name, "string", required=required, personal=personal)


def _enum(name: str, values: tuple[str, ...], required: bool = True) -> Column:
    return Column(name, "enum", required=required, values=values)


def _seconds(name: str) -> Column:
    return Column(name, "integer", required=True, minimum=0, maximum=MAX_DURATION_SECONDS)


def _rating(name: str) -> Column:
    return Column(name, "number", minimum=1, maximum=5)


CALLS = Extract(
    name="calls",
    folder="telephony/calls",
    period="day",
    key=("call_id",),
    key_scope="centre",
    business_date="enqueued_at",
    ordered=(Ordered("enqueued_at", "ended_at"), Ordered("enqueued_at", "answered_at")),
    columns=(
        _text("call_id", required=True),
        _text("parent_call_id"),
        _enum("direction", ("inbound", "outbound")),
        _text("queue", required=True),
        _text("customer_number", personal="hash"),
        _text("agent_id"),
        Column("enqueued_at", "timestamp", required=True),
        Column("answered_at", "timestamp"),
        Column("ended_at", "timestamp", required=True),
        _seconds("talk_seconds"),
        _seconds("hold_seconds"),
        _seconds("wrap_seconds"),
        _enum(
            "outcome",
            ("resolved", "transferred", "callback_required", "unresolved", "abandoned", "no_answer"),
        ),
    ),
)

SESSIONS = Extract(
    name="sessions",
    folder="telephony/sessions",
    period="day",
    business_date="login_at",
    ordered=(Ordered("login_at", "logout_at"),),
    columns=(
        _text("agent_id", required=True),
        Column("login_at", "timestamp", required=True),
        Column("logout_at", "timestamp"),
    ),
)

STATES = Extract(
    name="states",
    folder="telephony/states",
    period="day",
    business_date="started_at",
    ordered=(Ordered("started_at", "ended_at"),),
    columns=(
        _text("agent_id", required=True),
        _enum("state", ("available", "on_call", "wrap", "busy", "break", "meeting", "training")),
        _text("reason"),
        Column("started_at", "timestamp", required=True),
        Column("ended_at", "timestamp", required=True),
    ),
)

AGENTS = Extract(
    name="agents",
    folder="hr/agents",
    period="day",
    key=("agent_id",),
    key_scope="file",
    business_date=None,
    required_for_month=True,
    snapshot=True,
    columns=(
        _text("agent_id", required=True),
        _text("name", required=True),
        _text("id_card_number", personal="drop"),
        _text("team", required=True),
        _enum("tier", ("first_line", "second_line")),
        _enum("role", ("agent", "team_lead", "qa", "supervisor")),
        _text("supervisor_id"),
        Column("hire_date", "date", required=True),
        Column("probation_end_date", "date"),
        Column("termination_date", "date"),
        _text("email"),
    ),
)

SCHEDULES = Extract(
    name="schedules",
    folder="hr/schedules",
    period="month",
    key=("agent_id", "shift_date"),
    key_scope="centre",
    business_date="shift_date",
    required_for_month=True,
    columns=(
        _text("agent_id", required=True),
        Column("shift_date", "date", required=True),
        Column("shift_start", "time", required=True),
        Column("shift_end", "time", required=True),
    ),
)

LEAVE = Extract(
    name="leave",
    folder="hr/leave",
    period="month",
    key=("leave_id",),
    key_scope="centre",
    business_date="start_date",
    ordered=(Ordered("start_date", "end_date"),),
    columns=(
        _text("leave_id", required=True),
        _text("agent_id", required=True),
        _enum("leave_type", ("personal", "sick", "annual", "bereavement", "other")),
        Column("start_date", "date", required=True),
        Column("end_date", "date", required=True),
        Column("approved", "boolean", required=True),
    ),
)

RATINGS = Extract(
    name="ratings",
    folder="hr/ratings",
    period="month",
    key=("agent_id", "month"),
    key_scope="file",
    business_date="month",
    columns=(
        _text("agent_id", required=True),
        Column("month", "month", required=True),
        _text("rater_id", required=True),
        _rating("communication"),
        _rating("problem_solving"),
        _rating("learning"),
        _rating("teamwork"),
        _rating("responsibility"),
        _rating("service_attitude"),
    ),
)

EVALUATIONS = Extract(
    name="evaluations",
    folder="qa/evaluations",
    period="day",
    key=("evaluation_id",),
    key_scope="centre",
    business_date="evaluated_at",
    columns=(
        _text("evaluation_id", required=True),
        _text("call_id", required=True),
        _text("agent_id", required=True),
        _text("evaluator_id", required=True),
        Column("evaluated_at", "timestamp", required=True),
        _enum("mode", ("live", "recorded", "callback")),
        Column("score", "number", required=True, minimum=0, maximum=100),
        Column("answer_accurate", "boolean"),
        Column("fatal_error", "boolean"),
    ),
)

COMPLAINTS = Extract(
    name="complaints",
    folder="qa/complaints",
    period="day",
    key=("complaint_id",),
    key_scope="file",
    business_date="received_at",
    columns=(
        _text("complaint_id", required=True),
        Column("received_at", "timestamp", required=True),
        _enum("channel", ("phone", "online", "email", "letter")),
        _text("customer_number", personal="hash"),
        _text("call_id"),
        _text("subject_agent_id"),
        _text("handler_agent_id"),
        _text("category"),
        Column("due_at", "timestamp"),
        Column("first_response_at", "timestamp"),
        Column("resolved_at", "timestamp"),
        _enum("resolution", ("open", "success", "failed", "withdrawn")),
    ),
)

SURVEYS = Extract(
    name="surveys",
    folder="qa/surveys",
    period="day",
    key=("survey_id",),
    key_scope="centre",
    business_date="responded_at",
    columns=(
        _text("survey_id", required=True),
        _text("call_id", required=True),
        _text("agent_id", required=True),
        Column("responded_at", "timestamp", required=True),
        Column("score", "integer", required=True, minimum=1, maximum=5),
    ),
)

EXTRACTS: tuple[Extract, ...] = (
    CALLS,
    SESSIONS,
    STATES,
    AGENTS,
    SCHEDULES,
    LEAVE,
    RATINGS,
    EVALUATIONS,
    COMPLAINTS,
    SURVEYS,
)

EXTRACTS_BY_NAME = {extract.name: extract for extract in EXTRACTS}

TRUE_WORDS = ("true", "1", "y", "yes", "是")
FALSE_WORDS = ("false", "0", "n", "no", "否")
