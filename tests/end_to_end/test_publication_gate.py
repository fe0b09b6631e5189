"""The publication gate end to end: one defect a delivery can carry, then `ccw run`, per test.

A generated centre (8 agents, July and August 2026) is published once with its August files only.
Each test copies that publication (the published file, its working copy beside it and the landing
folder), gets a fresh Dagster home, applies one defect and runs `ccw run` again. A blocking defect
must exit 2, name the check, the table and the month, and leave the published file byte for byte
as it was; a warning must be recorded and the month still published.

A file that a run has loaded stays in the raw layer when it later disappears from the landing
folder, so a file that never arrived is staged in a month not loaded yet: July, held back from the
baseline and delivered late.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml
from dagster import DagsterInstance

from orchestration.lib.warehouse import WarehouseResource, quality_file

REPO_ROOT = Path(__file__).resolve().parents[2]
CCW = [sys.executable, "-m", "orchestration.cli"]
HASH_KEY = "publication-gate-test-key"
PUBLISHED, BLOCKED = 0, 2
JULY, AUGUST = date(2026, 7, 1), date(2026, 8, 1)
LATE_MONTH = "2026-07"
"""Files whose name carries this month are held back from the baseline publication."""
UNKNOWN_AGENT = "19999"
UNKNOWN_CALLS = ("C209912310000001", "C209912310000002")


# --- running ccw -----------------------------------------------------------------------------------


def ccw(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([*CCW, *args], check=False, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=1200)


def output_of(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"


def run_id_of(result: subprocess.CompletedProcess) -> str:
    found = re.search(r"^run (\S+) (succeeded|FAILED)", result.stdout, flags=re.MULTILINE)
    assert found, output_of(result)
    return found.group(1)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- editing landing files ---------------------------------------------------------------------------


def encoding_of(path: Path) -> str:
    """As the source systems write them: HR in GB18030, the survey platform UTF-8 with a BOM."""
    if path.parent.parent.name == "hr":
        return "gb18030"
    return "utf-8-sig" if path.parent.name == "surveys" else "utf-8"


def rewrite_rows(path: Path, change: Callable[[list[dict[str, str]]], list[dict[str, str]]]) -> None:
    """Re-deliver `path` with its rows passed through `change`, in the file's own encoding."""
    with open(path, newline="", encoding=encoding_of(path)) as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    with open(path, "w", newline="", encoding=encoding_of(path)) as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(change(rows))


def first_rows_set(column: str, values: tuple[str, ...], where: Callable[[dict], bool] = lambda row: True):
    """A `change` that sets `column` of the first rows matching `where` to `values`, one each."""

    def change(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        pending = list(values)
        for row in rows:
            if pending and where(row):
                row[column] = pending.pop(0)
        assert not pending, f"fewer rows than values to set in {column}"
        return rows

    return change


# --- the centre and each test's copy of its publication ----------------------------------------------


@dataclass(frozen=True)
class Centre:
    generated: Path
    """Every generated file, July and August."""
    landing: Path
    """The August files: what the baseline published."""
    baseline: Path
    """The folder of the baseline's published file and working copy."""
    env: dict[str, str]


@pytest.fixture(scope="module")
def centre(tmp_path_factory) -> Centre:
    root = tmp_path_factory.mktemp("gate")
    # Only what the tests set: a developer's CCW_* variables must not leak into the runs.
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CCW_")}, "CCW_PII_HASH_KEY": HASH_KEY}
    generated = root / "generated"
    generate = ccw(
        "generate", "--out", str(generated), "--agents", "8", "--teams", "2",
        "--start", LATE_MONTH, "--months", "2", "--seed", "5", env=env,
    )
    assert generate.returncode == 0, output_of(generate)
    landing = root / "landing"
    shutil.copytree(generated, landing, ignore=shutil.ignore_patterns(f"*{LATE_MONTH}*"))
    baseline = root / "baseline"
    first = ccw(
        "run", "--landing", str(landing), "--warehouse", str(baseline / "warehouse.duckdb"),
        env={**env, "DAGSTER_HOME": str(root / "baseline_dagster")},
    )
    assert first.returncode == PUBLISHED, output_of(first)
    return Centre(generated, landing, baseline, env)


@dataclass
class Workspace:
    """A test's own copy of the baseline publication, with the landing folder it came from."""

    centre: Centre
    root: Path
    published_before: str = field(init=False)
    """The sha256 of the published file before the defect."""

    def __post_init__(self) -> None:
        shutil.copytree(self.centre.landing, self.landing)
        self.warehouse.parent.mkdir()
        for name in ("warehouse.duckdb", "warehouse.working.duckdb"):
            shutil.copyfile(self.centre.baseline / name, self.warehouse.parent / name)
        self.published_before = sha256(self.warehouse)

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse" / "warehouse.duckdb"

    @property
    def working(self) -> Path:
        return self.warehouse.with_name("warehouse.working.duckdb")

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"

    def run(self, **extra_env: str) -> subprocess.CompletedProcess:
        env = {**self.centre.env, "DAGSTER_HOME": str(self.dagster_home), **extra_env}
        return ccw("run", "--landing", str(self.landing), "--warehouse", str(self.warehouse), env=env)

    def files(self, folder: str) -> list[Path]:
        return sorted((self.landing / folder).glob("*.csv"))

    def deliver_late_month(self, leaving_out: Callable[[Path], bool] = lambda path: False) -> None:
        """Copy July's files into the landing folder, except those `leaving_out` picks."""
        for source in sorted(self.centre.generated.rglob(f"*{LATE_MONTH}*.csv")):
            relative = source.relative_to(self.centre.generated)
            if not leaving_out(relative):
                (self.landing / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, self.landing / relative)

    def query(self, sql: str, params: list | None = None, *, published: bool = False) -> list[tuple]:
        # A run that published left no working copy: it became the published file.
        path = self.warehouse if published or not self.working.exists() else self.working
        with duckdb.connect(str(path), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


@pytest.fixture
def workspace(centre, tmp_path) -> Workspace:
    return Workspace(centre, tmp_path)


@dataclass(frozen=True)
class Outcome:
    check_name: str
    asset: str
    month: date | None
    severity: str
    passed: bool
    observed_value: str | None
    message: str
    examples: list[dict]


def outcomes(workspace: Workspace, result: subprocess.CompletedProcess, check_name: str, asset: str) -> list[Outcome]:
    """What the run recorded in audit.dq_results of the working copy for one check of one table."""
    rows = workspace.query(
        """
        SELECT check_name, asset, month, severity, passed, observed_value, details FROM audit.dq_results
        WHERE run_id = ? AND check_name = ? AND asset = ? ORDER BY month
        """,
        [run_id_of(result), check_name, asset],
    )
    return [Outcome(*row[:6], json.loads(row[6])["message"], json.loads(row[6])["examples"]) for row in rows]


def outcome_of_month(found: list[Outcome], month: date) -> Outcome:
    [outcome] = [o for o in found if o.month == month]
    return outcome


def assert_blocked(workspace: Workspace, result, check_name: str, asset: str, month: date | None) -> Outcome:
    """Exit 2, the failure named on the terminal and in audit.dq_results, the publication untouched."""
    assert result.returncode == BLOCKED, output_of(result)
    assert "PUBLICATION BLOCKED" in result.stdout
    where = f" {month:%Y-%m}" if month else ""
    assert f"- {check_name} on {asset}{where}: " in result.stdout, output_of(result)
    assert sha256(workspace.warehouse) == workspace.published_before
    failed = [o for o in outcomes(workspace, result, check_name, asset) if o.month == month and not o.passed]
    assert [o.severity for o in failed] == ["blocking"], failed
    # The data-quality dashboard still sees the blocked run: its results are published on their own.
    with duckdb.connect(str(quality_file(workspace.warehouse)), read_only=True) as con:
        published_failures = con.execute(
            "SELECT severity FROM audit.dq_results WHERE run_id = ? AND check_name = ? AND asset = ? AND NOT passed",
            [run_id_of(result), check_name, asset],
        ).fetchall()
    assert ("blocking",) in published_failures
    return failed[0]


def printed_examples(result: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in re.findall(r"^\s+e\.g\. (\{.*\})$", result.stdout, flags=re.MULTILINE)]


# --- blocking: the run exits 2 and the publication stays as it was -----------------------------------


def test_a_month_with_more_than_2_percent_of_its_calls_quarantined_is_not_published(workspace):
    def corrupt_every_20th(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        return [{**row, "talk_seconds": "-1"} if i % 20 == 0 else row for i, row in enumerate(rows)]

    calls = workspace.files("telephony/calls")
    for path in calls:
        rewrite_rows(path, corrupt_every_20th)
    # Weekend files hold only their header.
    first_with_calls = next(path for path in calls if len(path.read_text(encoding="utf-8").splitlines()) > 1)

    result = workspace.run()

    failure = assert_blocked(workspace, result, "quarantine_within_limit", "raw.calls", AUGUST)
    assert float(failure.observed_value) > 0.05
    # Examples come in file and line order: line 2, the first data line, of each file was corrupted.
    first = {"file": first_with_calls.name, "line": 2, "column": "talk_seconds"}
    assert failure.examples[0].items() >= first.items()
    assert "-1" in failure.examples[0]["reason"]
    assert printed_examples(result)[0].items() >= first.items()


def test_a_month_delivered_without_its_schedules_is_not_published(workspace):
    workspace.deliver_late_month(leaving_out=lambda path: path.name == f"schedules_{LATE_MONTH}.csv")

    result = workspace.run()

    failure = assert_blocked(workspace, result, "required_extract_present", "raw.schedules", JULY)
    assert "no schedules for 2026-07" in failure.message
    roster = outcome_of_month(outcomes(workspace, result, "required_extract_present", "raw.agents"), JULY)
    assert roster.passed


def test_a_month_with_no_roster_snapshot_up_to_its_end_is_not_published(workspace):
    # August's snapshot stays loaded: it is dated after July's end, so it does not count for July.
    workspace.deliver_late_month(leaving_out=lambda path: path.parent.name == "agents")

    result = workspace.run()

    failure = assert_blocked(workspace, result, "required_extract_present", "raw.agents", JULY)
    assert "no roster snapshot dated on or before the end of 2026-07" in failure.message
    schedules = outcome_of_month(outcomes(workspace, result, "required_extract_present", "raw.schedules"), JULY)
    assert schedules.passed


def test_rows_lost_between_the_file_and_the_raw_layer_block_publication(workspace):
    with duckdb.connect(str(workspace.working)) as con:
        lost = len(con.execute(
            "DELETE FROM raw.calls WHERE _file_name = 'calls_2026-08-10.csv' AND _line_number BETWEEN 10 AND 14 RETURNING call_id"
        ).fetchall())
    assert lost == 5

    result = workspace.run()

    failure = assert_blocked(workspace, result, "rows_reconcile", "raw.calls", AUGUST)
    [example] = failure.examples
    assert example["file"] == "calls_2026-08-10.csv"
    assert example["rows_in_raw"] == example["rows_accepted"] - lost
    assert printed_examples(result)[0]["file"] == "calls_2026-08-10.csv"


def test_a_scheduled_agent_missing_from_every_roster_snapshot_breaks_a_mart_reference(workspace):
    [schedules] = workspace.files("hr/schedules")
    with open(schedules, newline="", encoding=encoding_of(schedules)) as handle:
        dropped = next(csv.DictReader(handle))["agent_id"]
    for path in workspace.files("hr/agents"):
        rewrite_rows(path, lambda rows: [row for row in rows if row["agent_id"] != dropped])

    result = workspace.run()

    assert result.returncode == BLOCKED, output_of(result)
    assert sha256(workspace.warehouse) == workspace.published_before
    # Tests of models downstream of a failed test are skipped by dbt: only those that ran found rows.
    broken = workspace.query(
        """
        SELECT check_name, asset, severity, observed_value, details FROM audit.dq_results
        WHERE run_id = ? AND check_name LIKE 'relationships_%dim_agent%' AND NOT passed AND observed_value IS NOT NULL
        """,
        [run_id_of(result)],
    )
    (shifts,) = workspace.query("SELECT count(*) FROM raw.schedules WHERE agent_id = ?", [dropped])[0]
    [(check_name, asset, severity, orphans, details)] = broken
    assert (asset, severity, orphans) == ("marts.fct_agent_daily", "blocking", str(shifts))
    assert f"- {check_name} on {asset}: {json.loads(details)['message']}" in result.stdout
    # The data-quality dashboard sees the failed dbt test too.
    with duckdb.connect(str(quality_file(workspace.warehouse)), read_only=True) as con:
        published = con.execute(
            "SELECT severity FROM audit.dq_results WHERE run_id = ? AND check_name = ? AND NOT passed", [run_id_of(result), check_name]
        ).fetchall()
    assert published == [("blocking",)]


def test_scoring_weights_that_do_not_add_up_to_100_stop_the_run_before_anything_runs(workspace):
    policy = yaml.safe_load((REPO_ROOT / "policy" / "scoring_policy.yml").read_text(encoding="utf-8"))
    results = policy["scoring"]["categories"]["results"]
    # The category's own components still add up to it: only the total of the categories is wrong.
    results["weight"] += 5
    results["components"]["csat_rate"]["weight"] += 5
    policy_file = workspace.root / "scoring_policy.yml"
    policy_file.write_text(yaml.safe_dump(policy, allow_unicode=True), encoding="utf-8")
    working_before = sha256(workspace.working)

    result = workspace.run(CCW_POLICY_FILE=str(policy_file))

    assert result.returncode == BLOCKED, output_of(result)
    assert "the scoring policy is invalid, nothing was run" in result.stderr
    assert "scoring.categories: category weights add up to 105, not 100" in result.stderr
    assert DagsterInstance.from_config(str(workspace.dagster_home)).get_runs() == []
    assert sha256(workspace.working) == working_before
    assert sha256(workspace.warehouse) == workspace.published_before


MART_DEFECTS = {
    "a rate above 1": (
        "marts.fct_agent_monthly",
        "UPDATE marts.fct_agent_monthly SET fcr_rate = 1.5 WHERE agent_id = (SELECT min(agent_id) FROM marts.fct_agent_monthly)",
        "fcr_rate",
    ),
    "a score above 100": (
        "marts.fct_agent_scorecard",
        "UPDATE marts.fct_agent_scorecard SET total_score = 100.5 WHERE agent_id = (SELECT min(agent_id) FROM marts.fct_agent_scorecard)",
        "total_score",
    ),
    "a negative score": (
        "marts.fct_agent_scorecard",
        "UPDATE marts.fct_agent_scorecard SET total_score = -1 WHERE agent_id = (SELECT max(agent_id) FROM marts.fct_agent_scorecard)",
        "total_score",
    ),
    "a duplicate call": (
        "marts.fct_calls",
        "INSERT INTO marts.fct_calls SELECT * FROM marts.fct_calls ORDER BY call_id LIMIT 1",
        "call_id",
    ),
    "a duplicate agent-month": (
        "marts.fct_agent_monthly",
        "INSERT INTO marts.fct_agent_monthly SELECT * FROM marts.fct_agent_monthly ORDER BY agent_id LIMIT 1",
        "agent_id, month",
    ),
}


@pytest.fixture
def baseline_warehouse(centre, tmp_path, monkeypatch) -> WarehouseResource:
    """The baseline publication as a warehouse resource, for calling the gate's checks in this process."""
    # Importing the checks loads the pipeline's dbt project, whose profile needs a warehouse path.
    monkeypatch.delenv("CCW_POLICY_FILE", raising=False)
    monkeypatch.setenv("CCW_DBT_WAREHOUSE", str(tmp_path / "dbt_profile_target.duckdb"))
    warehouse = WarehouseResource(
        published_path=str(tmp_path / "warehouse.duckdb"),
        working_path=str(tmp_path / "warehouse.working.duckdb"),
        quality_dir=str(tmp_path / "data_quality"),
    )
    shutil.copyfile(centre.baseline / "warehouse.duckdb", warehouse.published_path)
    return warehouse


@pytest.mark.parametrize("defect", MART_DEFECTS)
def test_the_mart_gate_blocks_values_out_of_range_and_duplicate_keys(baseline_warehouse, defect):
    """Valid extracts cannot produce these, so the mart gate is given a tampered published warehouse."""
    from orchestration.defs.quality.checks import expectation_outcome

    table, tampering, column = MART_DEFECTS[defect]
    warehouse = baseline_warehouse
    with warehouse.connect() as con:
        (baseline_passed,) = con.execute(
            "SELECT bool_and(passed) FROM audit.dq_results WHERE check_name = 'expectations' AND asset = ?", [table]
        ).fetchone()
        assert baseline_passed, f"{table} already failed its expectations before the defect"
        con.execute(tampering)
        outcome = expectation_outcome(con, table, warehouse)

    assert outcome.blocks
    assert outcome.severity == "blocking"
    assert column in outcome.details
    assert column in [example["column"] for example in outcome.examples]


def test_a_raw_table_is_validated_on_the_loads_its_suite_has_not_passed_until_they_pass(baseline_warehouse):
    """The baseline run passed every load; one is made pending again, as a new delivery would be."""
    from ingestion.contract import CALLS
    from orchestration.defs.quality.checks import raw_expectation_outcome

    warehouse = baseline_warehouse
    with warehouse.connect() as con:
        untouched = raw_expectation_outcome(con, CALLS, warehouse, "rerun")
        assert untouched.passed and "no rows loaded since the suite passed every load" in untouched.details
        (load_id, file_name) = con.execute(
            """
            SELECT load_id, file_name FROM audit.load_log
            WHERE extract = 'calls' AND is_current AND rows_accepted > 0 ORDER BY load_id LIMIT 1
            """
        ).fetchall()[0]
        con.execute("DELETE FROM audit.validated_loads WHERE load_id = ?", [load_id])
        con.execute("UPDATE raw.calls SET direction = 'sideways' WHERE _file_name = ? AND _line_number = 2", [file_name])

        def validations_of_the_load() -> list[tuple]:
            return con.execute("SELECT run_id FROM audit.validated_loads WHERE load_id = ?", [load_id]).fetchall()

        for attempt in ("first", "second"):
            blocked = raw_expectation_outcome(con, CALLS, warehouse, attempt)
            assert blocked.blocks, blocked
            assert "of 1 load(s) not validated before" in blocked.details and "direction" in blocked.details
            assert validations_of_the_load() == []

        con.execute("UPDATE raw.calls SET direction = 'inbound' WHERE _file_name = ? AND _line_number = 2", [file_name])
        passed = raw_expectation_outcome(con, CALLS, warehouse, "mended")
        (rows_of_the_load,) = con.execute("SELECT count(*) FROM raw.calls WHERE _file_name = ?", [file_name]).fetchall()[0]

    assert passed.passed, passed
    assert f"expectations met on {rows_of_the_load:,} rows of 1 load(s) not validated before" in passed.details
    with duckdb.connect(warehouse.working_path, read_only=True) as con:
        assert con.execute("SELECT run_id FROM audit.validated_loads WHERE load_id = ?", [load_id]).fetchall() == [("mended",)]


def test_a_mart_is_validated_on_the_months_rebuilt_since_its_suite_passed_them_until_they_pass(baseline_warehouse):
    """The baseline run passed every month; one is forgotten, as a build that recomputes it does."""
    from orchestration.defs.quality.checks import MARTS, mart_expectation_outcomes
    from orchestration.lib.validated_months import forget_recomputed_months

    warehouse = baseline_warehouse

    def mart_expectation_outcome(con, mart: str, run_id: str):
        """The mart's outcome of a mart gate: the suites run side by side, every mart's judged."""
        outcomes = mart_expectation_outcomes(con, warehouse, run_id)
        assert {outcome.asset for outcome in outcomes} == {f"marts.{name}" for name in MARTS}
        assert not any(outcome.blocks for outcome in outcomes if outcome.asset != f"marts.{mart}"), outcomes
        return next(outcome for outcome in outcomes if outcome.asset == f"marts.{mart}")

    with warehouse.connect() as con:
        untouched = mart_expectation_outcome(con, "fct_agent_monthly", "rerun")
        assert untouched.passed and "no month rebuilt since the suite passed every month" in untouched.details
        forget_recomputed_months(con, AUGUST, date(2026, 9, 1))
        con.execute(
            "UPDATE marts.fct_agent_monthly SET fcr_rate = 1.5 WHERE month = ? AND agent_id = (SELECT min(agent_id) FROM marts.fct_agent_monthly)",
            [AUGUST],
        )

        def validations_of_august() -> list[tuple]:
            return con.execute(
                "SELECT run_id FROM audit.validated_mart_months WHERE mart = 'fct_agent_monthly' AND month = ?", [AUGUST]
            ).fetchall()

        for attempt in ("first", "second"):
            blocked = mart_expectation_outcome(con, "fct_agent_monthly", attempt)
            assert blocked.blocks, blocked
            assert "of 1 month(s) rebuilt (2026-08)" in blocked.details and "fcr_rate" in blocked.details
            assert validations_of_august() == []

        con.execute("UPDATE marts.fct_agent_monthly SET fcr_rate = 1 WHERE fcr_rate > 1")
        passed = mart_expectation_outcome(con, "fct_agent_monthly", "mended")
        (rows_of_august,) = con.execute("SELECT count(*) FROM marts.fct_agent_monthly WHERE month = ?", [AUGUST]).fetchall()[0]
        assert validations_of_august() == [("mended",)]

    assert passed.passed, passed
    assert f"expectations met on {rows_of_august:,} rows of 1 month(s) rebuilt (2026-08)" in passed.details


def test_a_table_of_more_rows_than_the_sample_is_validated_on_a_sample_of_the_rows_asked_for(baseline_warehouse, monkeypatch):
    """Only the pending load's rows may be drawn: every other row of the table is made invalid."""
    from ingestion.contract import CALLS
    from orchestration.defs.quality import checks

    warehouse = baseline_warehouse
    with warehouse.connect() as con:
        (load_id, file_name, rows_of_the_load) = con.execute(
            """
            SELECT load_id, file_name, rows_accepted FROM audit.load_log
            WHERE extract = 'calls' AND is_current AND rows_accepted > 0 ORDER BY load_id LIMIT 1
            """
        ).fetchall()[0]
        con.execute("DELETE FROM audit.validated_loads WHERE load_id = ?", [load_id])
        con.execute("UPDATE raw.calls SET direction = 'sideways' WHERE _file_name <> ?", [file_name])
        monkeypatch.setattr(checks, "SAMPLE_ROWS", rows_of_the_load // 3)

        sampled = checks.raw_expectation_outcome(con, CALLS, warehouse, "sampled")
        (sample_rows,) = con.execute("SELECT count(*) FROM validated_raw_calls").fetchall()[0]
        whole_table = checks.expectation_outcome(con, "raw.calls", warehouse)

    assert sampled.passed, sampled
    assert sample_rows == rows_of_the_load // 3
    assert f"{sample_rows:,} rows sampled of {rows_of_the_load:,} of 1 load(s) not validated before" in sampled.details
    assert whole_table.blocks and "direction" in whole_table.details and "sampled of" in whole_table.details


# --- warnings: recorded, and the month is published --------------------------------------------------


def test_warnings_are_recorded_for_their_table_and_month_and_the_month_is_published(workspace):
    landing = workspace.landing
    # July arrives late, with one defect per warning:
    # no surveys file for Wednesday 15 July,
    workspace.deliver_late_month(leaving_out=lambda path: path.name == "surveys_2026-07-15.csv")
    # three calls of an agent no roster snapshot knows,
    rewrite_rows(
        landing / "telephony" / "calls" / "calls_2026-07-14.csv",
        first_rows_set("agent_id", (UNKNOWN_AGENT,) * 3, where=lambda row: row["agent_id"] != ""),
    )
    # two surveys of calls that were never delivered,
    rewrite_rows(landing / "qa" / "surveys" / "surveys_2026-07-14.csv", first_rows_set("call_id", UNKNOWN_CALLS))
    # and a week in which one agent's calls were not evaluated at all.
    quiet_week = sorted((landing / "qa" / "evaluations").glob("evaluations_2026-07-1[3-9].csv"))
    with open(quiet_week[1], newline="", encoding=encoding_of(quiet_week[1])) as handle:
        unwatched = next(csv.DictReader(handle))["agent_id"]
    for path in quiet_week:
        rewrite_rows(path, lambda rows: [row for row in rows if row["agent_id"] != unwatched])

    result = workspace.run()

    assert result.returncode == PUBLISHED, output_of(result)
    assert "PUBLICATION BLOCKED" not in result.stdout
    assert sha256(workspace.warehouse) != workspace.published_before
    (july_calls,) = workspace.query("SELECT count(*) FROM raw.calls WHERE enqueued_at < ?", [AUGUST], published=True)[0]
    assert july_calls > 0

    def warned(check_name: str, asset: str, month: date) -> Outcome:
        outcome = outcome_of_month(outcomes(workspace, result, check_name, asset), month)
        assert (outcome.severity, outcome.passed) == ("warning", False), outcome
        return outcome

    assert "2026-07-15" in warned("daily_files_complete", "raw.surveys", JULY).message
    assert UNKNOWN_AGENT in warned("agents_on_roster", "raw.calls", JULY).message
    unknown_calls = warned("references_known_calls", "raw.surveys", JULY)
    assert unknown_calls.observed_value == str(len(UNKNOWN_CALLS))
    assert all(call in unknown_calls.message for call in UNKNOWN_CALLS)
    warned("qa_weekly_coverage", "marts.fct_qa_coverage_weekly", JULY)
    assert workspace.query(
        "SELECT evaluations, qa_coverage_ok FROM marts.fct_qa_coverage_weekly WHERE agent_id = ? AND week_start = ?",
        [unwatched, date(2026, 7, 13)],
    ) == [(0, 0)]
    assert "no schedules for 2026-09" in warned("next_month_schedules_published", "raw.schedules", AUGUST).message
    schedules_of_august = outcome_of_month(outcomes(workspace, result, "next_month_schedules_published", "raw.schedules"), JULY)
    assert schedules_of_august.passed
    assert re.search(r"^\d+ warning\(s\) recorded \(not blocking\)", result.stdout, flags=re.MULTILINE)
    # The raw suites validated July's late loads, not the August ones the baseline run passed.
    (july_loads,) = workspace.query(
        "SELECT count(*) FROM audit.load_log WHERE extract = 'calls' AND is_current AND rows_accepted > 0 AND file_date < ?",
        [AUGUST],
    )[0]
    [calls_suite] = outcomes(workspace, result, "expectations", "raw.calls")
    assert calls_suite.passed and f"rows of {july_loads} load(s) not validated before" in calls_suite.message, calls_suite
