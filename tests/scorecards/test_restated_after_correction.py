"""A correction to a month HR already received: the next pipeline run re-issues it as a restatement."""

from pathlib import Path

import pytest
from scorecards_support import HASH_KEY, JULY, ledger_of, output_of, run_ccw, scorecards, smtp_env


def ok(result):
    assert result.returncode == 0, output_of(result)
    return result


@pytest.fixture
def delivered_july(tmp_path, inbox):
    env = {
        **smtp_env(inbox.port),
        "CCW_PII_HASH_KEY": HASH_KEY,
        "DAGSTER_HOME": str(tmp_path / "dagster"),
        "CCW_SCORECARDS_DIR": str(tmp_path / "scorecards"),
    }
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    ok(run_ccw("generate", "--out", str(landing), "--agents", "8", "--teams", "2", "--start", JULY, "--months", "2", "--seed", "3", env=env))
    ok(run_ccw("run", "--landing", str(landing), "--warehouse", str(warehouse), env=env))
    ok(scorecards(warehouse, tmp_path / "scorecards", "--send", env=env, month="2026-07"))
    assert len(inbox.messages) == 1
    return {"env": env, "landing": landing, "warehouse": warehouse, "out": tmp_path / "scorecards"}


def withdraw_evaluations(landing: Path, day: str) -> None:
    """A corrected delivery of a day's QA evaluations: the day's evaluations were entered in error."""
    path = landing / "qa" / "evaluations" / f"evaluations_{day}.csv"
    header = path.read_text(encoding="utf-8-sig").splitlines()[0]
    path.write_text(header + "\n", encoding="utf-8")


def test_a_corrected_month_is_restated_to_hr_by_the_next_run(delivered_july, inbox):
    for day in ("2026-07-13", "2026-07-14", "2026-07-15", "2026-07-16", "2026-07-17"):
        withdraw_evaluations(delivered_july["landing"], day)
    ok(run_ccw("run", "--landing", str(delivered_july["landing"]), "--warehouse", str(delivered_july["warehouse"]), env=delivered_july["env"]))

    assert len(inbox.messages) == 2
    restatement = inbox.messages[1]
    assert "Restated scorecards 2026-07" in restatement.message["Subject"]
    july = ledger_of(delivered_july["out"])["months"]["2026-07"]
    assert july["current"] == 2
    assert july["versions"]["2"]["status"] == "sent"


def test_a_run_with_nothing_corrected_restates_nothing(delivered_july, inbox):
    ok(run_ccw("run", "--landing", str(delivered_july["landing"]), "--warehouse", str(delivered_july["warehouse"]), env=delivered_july["env"]))
    assert len(inbox.messages) == 1
    assert ledger_of(delivered_july["out"])["months"]["2026-07"]["current"] == 1
