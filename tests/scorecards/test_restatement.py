"""A month produced again: the same numbers change nothing; changed numbers after delivery are restated."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader
from scorecards_support import (
    MONTH,
    alter,
    ledger_of,
    manifest_of,
    marts_rows,
    output_of,
    scorecards,
    smtp_env,
)

# KPIS.md: the grades and their Chinese names.
GRADE_NAMES = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}
LOWERED_BY = 30


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, output_of(result)
    return result


def send(warehouse: Path, out: Path, port: int) -> subprocess.CompletedProcess:
    return ok(scorecards(warehouse, out, "--send", env=smtp_env(port)))


def best_agent(warehouse: Path) -> dict:
    return min(marts_rows(warehouse).values(), key=lambda row: row["rank_in_centre"])


def lower_total(warehouse: Path, agent_id: str) -> None:
    """The kind of change a corrected delivery makes: a lower total and, with it, the fail grade."""
    alter(
        warehouse,
        "UPDATE marts.fct_agent_scorecard SET total_score = total_score - ?, grade = 'fail' WHERE agent_id = ? AND month = ?",
        [LOWERED_BY, agent_id, f"{MONTH}-01"],
    )


def pdf_text(path: Path) -> str:
    return PdfReader(path).pages[0].extract_text()


def unchanged_since_archived(folder: Path) -> bool:
    manifest = manifest_of(folder.parents[1], int(folder.name[1:]))
    return all(hashlib.sha256((folder / entry["path"]).read_bytes()).hexdigest() == entry["sha256"] for entry in manifest["files"])


def test_the_same_numbers_from_another_warehouse_file_make_no_new_version_and_no_email(warehouse, inbox, tmp_path):
    out = tmp_path / "scorecards"
    send(warehouse, out, inbox.port)
    rebuilt = tmp_path / "rebuilt" / "warehouse.duckdb"
    rebuilt.parent.mkdir()
    shutil.copyfile(warehouse, rebuilt)

    again = send(rebuilt, out, inbox.port)
    assert "numbers unchanged since version v1" in again.stdout and "already sent" in again.stdout
    assert len(inbox.messages) == 1
    assert sorted(path.name for path in (out / MONTH).iterdir()) == ["v1"]


def test_changed_numbers_after_delivery_are_restated_to_hr_with_the_differences(warehouse, inbox, tmp_path):
    out = tmp_path / "scorecards"
    send(warehouse, out, inbox.port)
    before = best_agent(warehouse)
    others_before = {agent_id: row for agent_id, row in marts_rows(warehouse).items() if agent_id != before["agent_id"]}
    lower_total(warehouse, before["agent_id"])
    after = marts_rows(warehouse)[before["agent_id"]]

    result = send(warehouse, out, inbox.port)
    assert "RESTATED: v2 replaces v1" in result.stdout

    assert len(inbox.messages) == 2
    restatement = inbox.messages[1]
    assert "Restated" in restatement.message["Subject"] and "更正" in restatement.message["Subject"]
    body = restatement.body
    line = next(text for text in body.splitlines() if text.startswith(before["agent_id"]))
    assert f"{before['total_score']:.1f} → {after['total_score']:.1f}" in line
    assert GRADE_NAMES[before["grade"]] in line and GRADE_NAMES["fail"] in line
    assert f"{before['rank_in_centre']} → {after['rank_in_centre']}" in line
    assert not any(text.startswith(agent_id) for agent_id in others_before for text in body.splitlines())
    attachments = restatement.attachments()
    assert set(attachments) == {f"scorecards_{MONTH}_v2.xlsx", f"scorecards_{MONTH}_v2_pdf.zip"}

    workbook = load_workbook(io.BytesIO(attachments[f"scorecards_{MONTH}_v2.xlsx"]))
    changes = [row for row in workbook["更正 Changes"].iter_rows(min_row=5, values_only=True) if row[0]]
    assert [(row[0], row[4], row[5]) for row in changes] == [(before["agent_id"], before["total_score"], after["total_score"])]
    assert "total_score" in changes[0][-1] and "grade" in changes[0][-1]

    first, second = out / MONTH / "v1", out / MONTH / "v2"
    assert unchanged_since_archived(first)
    pdf_name = f"pdf/scorecard_{MONTH}_{before['agent_id']}.pdf"
    assert f"{before['total_score']:.1f}" in pdf_text(first / pdf_name)
    restated_pdf = pdf_text(second / pdf_name)
    assert "更正版" in restated_pdf and "Restated" in restated_pdf and f"{after['total_score']:.1f}" in restated_pdf

    manifest = manifest_of(out, 2)
    assert manifest["restates"] == 1 and manifest["delivery"]["status"] == "sent"
    assert [change["agent_id"] for change in manifest["changes"]] == [before["agent_id"]]
    versions = ledger_of(out)["months"][MONTH]["versions"]
    assert (versions["1"]["status"], versions["2"]["status"], versions["2"]["kind"]) == ("sent", "sent", "restatement")

    send(warehouse, out, inbox.port)
    assert len(inbox.messages) == 2


def test_a_change_before_any_delivery_is_not_a_restatement(warehouse, inbox, tmp_path):
    out = tmp_path / "scorecards"
    ok(scorecards(warehouse, out))
    lower_total(warehouse, best_agent(warehouse)["agent_id"])

    send(warehouse, out, inbox.port)
    assert len(inbox.messages) == 1
    assert "Restated" not in inbox.messages[0].message["Subject"]
    assert set(inbox.messages[0].attachments()) == {f"scorecards_{MONTH}_v2.xlsx", f"scorecards_{MONTH}_v2_pdf.zip"}
    versions = ledger_of(out)["months"][MONTH]["versions"]
    assert (versions["1"]["status"], versions["2"]["status"], versions["2"]["restates"]) == ("superseded", "sent", None)


def test_numbers_back_to_what_hr_received_need_no_email(warehouse, inbox, tmp_path):
    out = tmp_path / "scorecards"
    send(warehouse, out, inbox.port)
    original = best_agent(warehouse)
    lower_total(warehouse, original["agent_id"])
    ok(scorecards(warehouse, out))
    assert manifest_of(out, 2)["restates"] == 1
    alter(
        warehouse,
        "UPDATE marts.fct_agent_scorecard SET total_score = ?, grade = ? WHERE agent_id = ? AND month = ?",
        [original["total_score"], original["grade"], original["agent_id"], f"{MONTH}-01"],
    )

    result = send(warehouse, out, inbox.port)
    assert "numbers unchanged since version v1" in result.stdout
    assert len(inbox.messages) == 1
    month = ledger_of(out)["months"][MONTH]
    assert month["current"] == 1 and month["versions"]["2"]["status"] == "superseded"
