"""Loading hand-written landing folders into a real DuckDB file.

- `landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}, {"call_id": "c2", "talk_seconds": "-5"}])`
  writes a CSV of the extract named by the file's prefix; every row is a valid row of that extract
  with the given values changed. `columns=` picks and orders the header (a column missing from it is
  missing from the file); a key that is not a contract column becomes an extra column.
- `landing.write_text(...)` / `landing.write_bytes(...)` write a file exactly as given, for files
  that are broken on purpose; `landing.header("calls")` and `landing.line("calls", call_id="c2")`
  give the header and one valid line to build them from.
- `warehouse.load("calls")` loads every delivery of the extract with the test settings;
  `warehouse.raw(...)`, `warehouse.quarantine(...)` and `warehouse.load_log(...)` read back what
  the loader wrote, as dicts in file and line order. `second_warehouse` is another DuckDB file fed
  from the same landing folder, to compare two ways of loading it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import duckdb
import pytest

from ingestion.contract import EXTRACTS_BY_NAME, Extract
from ingestion.loader import ExtractLoad, LoadSettings, load_extract
from ingestion.schema import create_schemas

HASH_KEY = b"ingestion-test-key"
SETTINGS = LoadSettings(hash_key=HASH_KEY, timezone="Asia/Shanghai", run_id="t")

# One valid row of every extract: a test changes only the values it is about.
VALID_ROWS: dict[str, dict[str, str]] = {
    "calls": {
        "call_id": "c1",
        "parent_call_id": "",
        "direction": "inbound",
        "queue": "billing",
        "customer_number": "13800138000",
        "agent_id": "A001",
        "enqueued_at": "2026-08-01 09:00:00",
        "answered_at": "2026-08-01 09:00:20",
        "ended_at": "2026-08-01 09:05:00",
        "talk_seconds": "280",
        "hold_seconds": "0",
        "wrap_seconds": "30",
        "outcome": "resolved",
    },
    "sessions": {"agent_id": "A001", "login_at": "2026-08-01 08:25:00", "logout_at": "2026-08-01 17:40:00"},
    "states": {
        "agent_id": "A001",
        "state": "available",
        "reason": "",
        "started_at": "2026-08-01 08:30:00",
        "ended_at": "2026-08-01 09:00:00",
    },
    "agents": {
        "agent_id": "A001",
        "name": "张伟",
        "id_card_number": "110105199001011234",
        "team": "billing-1",
        "tier": "first_line",
        "role": "agent",
        "supervisor_id": "S001",
        "hire_date": "2025-01-06",
        "probation_end_date": "2025-04-06",
        "termination_date": "",
        "email": "zhang.wei@example.com",
    },
    "schedules": {"agent_id": "A001", "shift_date": "2026-08-03", "shift_start": "08:30", "shift_end": "17:35"},
    "leave": {
        "leave_id": "L1",
        "agent_id": "A001",
        "leave_type": "sick",
        "start_date": "2026-08-10",
        "end_date": "2026-08-11",
        "approved": "true",
    },
    "ratings": {
        "agent_id": "A001",
        "month": "2026-08",
        "rater_id": "S001",
        "communication": "4",
        "problem_solving": "4",
        "learning": "3.5",
        "teamwork": "5",
        "responsibility": "4",
        "service_attitude": "4",
    },
    "evaluations": {
        "evaluation_id": "E1",
        "call_id": "c1",
        "agent_id": "A001",
        "evaluator_id": "Q001",
        "evaluated_at": "2026-08-01 15:00:00",
        "mode": "recorded",
        "score": "92.5",
        "answer_accurate": "true",
        "fatal_error": "false",
    },
    "complaints": {
        "complaint_id": "K1",
        "received_at": "2026-08-01 10:00:00",
        "channel": "phone",
        "customer_number": "13800138000",
        "call_id": "c1",
        "subject_agent_id": "A001",
        "handler_agent_id": "A002",
        "category": "billing",
        "due_at": "2026-08-03 10:00:00",
        "first_response_at": "2026-08-01 11:00:00",
        "resolved_at": "",
        "resolution": "open",
    },
    "surveys": {
        "survey_id": "V1",
        "call_id": "c1",
        "agent_id": "A001",
        "responded_at": "2026-08-01 09:06:00",
        "score": "5",
    },
}


def csv_text(rows: Sequence[Mapping[str, str]], columns: Sequence[str], newline: str = "\n") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(columns)
    writer.writerows([[row.get(column, "") for column in columns] for row in rows])
    return buffer.getvalue()


class Landing:
    def __init__(self, root: Path):
        self.root = root

    def path(self, extract: str, file_name: str) -> Path:
        folder = self.root / EXTRACTS_BY_NAME[extract].folder
        folder.mkdir(parents=True, exist_ok=True)
        return folder / file_name

    def write(
        self,
        file_name: str,
        rows: Iterable[Mapping[str, str]] = (),
        *,
        extract: str | None = None,
        columns: Sequence[str] | None = None,
        encoding: str = "utf-8",
        newline: str = "\n",
    ) -> Path:
        """A CSV of valid rows with the given changes; the extract is the file name's prefix unless named."""
        extract = extract or file_name.split("_")[0]
        full_rows = [{**VALID_ROWS[extract], **row} for row in rows]
        header = columns or list(dict.fromkeys([*VALID_ROWS[extract], *(k for row in full_rows for k in row)]))
        return self.write_text(file_name, csv_text(full_rows, header, newline), extract=extract, encoding=encoding)

    def write_text(self, file_name: str, text: str, *, extract: str | None = None, encoding: str = "utf-8") -> Path:
        return self.write_bytes(file_name, text.encode(encoding), extract=extract)

    def write_bytes(self, file_name: str, data: bytes, *, extract: str | None = None) -> Path:
        path = self.path(extract or file_name.split("_")[0], file_name)
        path.write_bytes(data)
        return path

    @staticmethod
    def header(extract: str) -> str:
        return ",".join(VALID_ROWS[extract])

    @staticmethod
    def line(extract: str, **changes: str) -> str:
        """One valid data line of the extract (its default values need no quoting), with changes."""
        return ",".join({**VALID_ROWS[extract], **changes}.values())


class Warehouse:
    def __init__(self, con: duckdb.DuckDBPyConnection, landing: Landing):
        self.con = con
        self.landing = landing

    def load(self, extract: str | Extract, settings: LoadSettings = SETTINGS) -> ExtractLoad:
        extract = EXTRACTS_BY_NAME[extract] if isinstance(extract, str) else extract
        return load_extract(self.con, self.landing.root, extract, settings)

    def dicts(self, sql: str, parameters: Sequence | None = None) -> list[dict]:
        cursor = self.con.execute(sql, parameters or [])
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def raw(self, extract: str, file_name: str | None = None) -> list[dict]:
        where = "WHERE _file_name = ?" if file_name else ""
        return self.dicts(
            f"SELECT * EXCLUDE (_loaded_at) FROM raw.{extract} {where} ORDER BY _file_date, _file_name, _line_number",
            [file_name] if file_name else None,
        )

    def quarantine(self, extract: str, file_name: str | None = None) -> list[dict]:
        where = "AND file_name = ?" if file_name else ""
        return self.dicts(
            f"SELECT * EXCLUDE (quarantined_at) FROM audit.quarantine WHERE extract = ? {where} "
            "ORDER BY file_name, line_number",
            [extract, file_name] if file_name else [extract],
        )

    def load_log(self, extract: str) -> dict[str, dict]:
        """The current load-log row of every file of the extract, by file name."""
        rows = self.dicts("SELECT * FROM audit.load_log WHERE extract = ? AND is_current ORDER BY file_name", [extract])
        return {row["file_name"]: row for row in rows}


@pytest.fixture
def landing(tmp_path: Path) -> Landing:
    return Landing(tmp_path / "landing")


def open_warehouse(path: Path, landing: Landing) -> Iterable[Warehouse]:
    con = duckdb.connect(str(path))
    create_schemas(con)
    yield Warehouse(con, landing)
    con.close()


@pytest.fixture
def warehouse(tmp_path: Path, landing: Landing) -> Iterable[Warehouse]:
    yield from open_warehouse(tmp_path / "warehouse.duckdb", landing)


@pytest.fixture
def second_warehouse(tmp_path: Path, landing: Landing) -> Iterable[Warehouse]:
    """Another DuckDB file fed from the same landing folder, to compare two ways of loading it."""
    yield from open_warehouse(tmp_path / "second_warehouse.duckdb", landing)
