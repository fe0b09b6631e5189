"""The publication gate as the scorecards read it from audit.dq_results (see gate.py for the rule)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
from scorecards_support import (
    AUGUST,
    BLOCKED,
    MONTH,
    alter,
    output_of,
    publication_run,
    scorecards,
    smtp_env,
)

from orchestration.lib.scorecards.gate import judge_month

JULY = date(2026, 7, 1)


def verdict(warehouse: Path, month: date = AUGUST):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return judge_month(con, month)


def record_check(warehouse: Path, run_id: str | None, month: date | None, *, severity: str = "blocking", passed: bool = False, when: datetime) -> None:
    """A check outcome as the pipeline records it (orchestration.lib.quality.record)."""
    alter(
        warehouse,
        "INSERT INTO audit.dq_results VALUES (?, 'quarantine_within_limit', 'raw.calls', ?, ?, ?, '0.05', ?, ?)",
        [run_id, month, severity, passed, json.dumps({"message": "5.0% of the rows quarantined, above 2%"}), when],
    )


def latest_check(warehouse: Path) -> datetime:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("SELECT max(checked_at) FROM audit.dq_results").fetchone()[0]


def test_every_month_of_a_published_warehouse_passes(warehouse):
    for month in (JULY, AUGUST):
        judged = verdict(warehouse, month)
        assert judged.passed, judged.reasons
        assert judged.run_id == publication_run(warehouse)


def test_a_failed_blocking_check_of_the_month_blocks_it_and_is_named(warehouse):
    run_id = publication_run(warehouse)
    record_check(warehouse, run_id, AUGUST, when=latest_check(warehouse))
    judged = verdict(warehouse)
    assert not judged.passed
    assert "quarantine_within_limit on raw.calls for 2026-08" in judged.reasons[0]
    assert "5.0% of the rows quarantined" in judged.reasons[0] and run_id in judged.reasons[0]


def test_a_failed_blocking_check_of_another_month_in_the_publishing_run_blocks_too(warehouse):
    record_check(warehouse, publication_run(warehouse), JULY, when=latest_check(warehouse))
    judged = verdict(warehouse, AUGUST)
    assert not judged.passed
    assert "for 2026-07" in judged.reasons[0]


def test_a_failed_check_that_covers_every_month_blocks(warehouse):
    record_check(warehouse, publication_run(warehouse), None, when=latest_check(warehouse))
    assert "(all months)" in verdict(warehouse).reasons[0]


def test_a_later_run_that_was_not_published_makes_the_file_untrusted(warehouse):
    record_check(warehouse, "a-blocked-run", AUGUST, when=latest_check(warehouse) + timedelta(minutes=1))
    judged = verdict(warehouse)
    assert judged.run_id == "a-blocked-run"
    assert not judged.passed


def test_failures_of_an_earlier_run_are_history(warehouse):
    record_check(warehouse, "an-earlier-run", AUGUST, when=latest_check(warehouse) - timedelta(days=3))
    judged = verdict(warehouse)
    assert judged.passed, judged.reasons


def test_after_a_run_that_only_recomputed_the_marts_the_months_own_checks_of_the_run_before_stand(warehouse):
    later = latest_check(warehouse) + timedelta(minutes=1)
    record_check(warehouse, "a-marts-only-run", None, passed=True, when=later)
    judged = verdict(warehouse)
    assert judged.passed, judged.reasons
    assert judged.run_id == "a-marts-only-run"


def test_after_a_run_that_only_recomputed_the_marts_a_rejected_month_stays_blocked(warehouse):
    last_judgement = latest_check(warehouse)
    record_check(warehouse, publication_run(warehouse), AUGUST, when=last_judgement)
    record_check(warehouse, "a-marts-only-run", None, passed=True, when=last_judgement + timedelta(minutes=1))
    judged = verdict(warehouse)
    assert not judged.passed
    assert "for 2026-08" in judged.reasons[0]


def test_a_failed_warning_does_not_block(warehouse):
    record_check(warehouse, publication_run(warehouse), AUGUST, severity="warning", when=latest_check(warehouse))
    assert verdict(warehouse).passed


def test_a_month_the_publishing_run_never_judged_is_blocked(warehouse):
    judged = verdict(warehouse, date(2026, 9, 1))
    assert not judged.passed
    assert "no run recorded a blocking check for 2026-09" in judged.reasons[0]


def test_a_warehouse_without_check_results_is_blocked(warehouse):
    alter(warehouse, "DELETE FROM audit.dq_results")
    judged = verdict(warehouse)
    assert not judged.passed and judged.run_id is None


def test_a_blocked_month_produces_nothing_sends_nothing_and_exits_2(warehouse, inbox, tmp_path):
    out = tmp_path / "scorecards"
    record_check(warehouse, publication_run(warehouse), AUGUST, when=latest_check(warehouse))

    result = scorecards(warehouse, out, "--send", env=smtp_env(inbox.port))
    assert result.returncode == BLOCKED, output_of(result)
    assert "SCORECARDS BLOCKED: 2026-08" in result.stderr
    assert "quarantine_within_limit on raw.calls for 2026-08" in result.stderr
    assert not (out / MONTH).exists()
    assert not inbox.messages


def test_a_delivered_month_that_is_blocked_later_sends_nothing_more(warehouse, inbox, tmp_path):
    out = tmp_path / "scorecards"
    first = scorecards(warehouse, out, "--send", env=smtp_env(inbox.port))
    assert first.returncode == 0, output_of(first)
    record_check(warehouse, publication_run(warehouse), AUGUST, when=latest_check(warehouse))

    result = scorecards(warehouse, out, "--send", "--force", env=smtp_env(inbox.port))
    assert result.returncode == BLOCKED, output_of(result)
    assert len(inbox.messages) == 1
    assert sorted(path.name for path in (out / MONTH).iterdir()) == ["v1"]
