"""`ccw scorecards --send` against a real SMTP server: what HR receives, and that it arrives once."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import signal
import subprocess
import zipfile
from pathlib import Path

import pytest
from aiosmtpd.smtp import AuthResult
from openpyxl import load_workbook
from pypdf import PdfReader
from scorecards_support import (
    AUGUST,
    CCW,
    HR,
    MONTH,
    REPO_ROOT,
    agent_names,
    ledger_of,
    manifest_of,
    marts_rows,
    output_of,
    publication_run,
    scorecards,
    smtp_env,
)

from orchestration.lib.ports import free_port

# KPIS.md: the grades and their Chinese names.
GRADE_NAMES = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}
FIELD_ROW = 4
"""The workbook row that names each column's mart column, under the headings."""


def sent(warehouse: Path, out: Path, port: int, *flags: str, **env: str) -> subprocess.CompletedProcess:
    return scorecards(warehouse, out, "--send", *flags, env=smtp_env(port, **env))


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, output_of(result)
    return result


def workbook_rows(content: bytes) -> dict[str, list[dict]]:
    """Each sheet's data rows as {mart column: value}, read through the row of column names."""
    workbook = load_workbook(io.BytesIO(content))
    sheets = {}
    for sheet in workbook:
        fields = [cell.value for cell in sheet[FIELD_ROW]]
        sheets[sheet.title] = [
            dict(zip(fields, values)) for values in sheet.iter_rows(min_row=FIELD_ROW + 1, values_only=True) if any(v is not None for v in values)
        ]
    return sheets


def same(cell, mart_value) -> bool:
    """Equal, numbers to the 16 significant digits openpyxl writes (as many as Excel keeps)."""
    if isinstance(mart_value, float):
        return cell == pytest.approx(mart_value, rel=1e-14)
    return cell == mart_value


def test_hr_receives_one_email_with_the_workbook_and_a_pdf_per_agent(warehouse, inbox, tmp_path):
    out = tmp_path / "scorecards"
    result = ok(sent(warehouse, out, inbox.port))

    assert len(inbox.messages) == 1
    received = inbox.messages[0]
    assert received.sender == "scorecards@centre.example"
    assert sorted(received.recipients) == sorted(HR)
    assert MONTH in received.message["Subject"]
    attachments = received.attachments()
    assert set(attachments) == {f"scorecards_{MONTH}.xlsx", f"scorecards_{MONTH}_pdf.zip"}
    assert "sent to" in result.stdout

    marts = marts_rows(warehouse)
    names = agent_names(warehouse)
    pdfs = zipfile.ZipFile(io.BytesIO(attachments[f"scorecards_{MONTH}_pdf.zip"]))
    assert sorted(pdfs.namelist()) == sorted(f"scorecard_{MONTH}_{agent_id}.pdf" for agent_id in marts)
    for agent_id, row in marts.items():
        reader = PdfReader(io.BytesIO(pdfs.read(f"scorecard_{MONTH}_{agent_id}.pdf")))
        assert len(reader.pages) == 1
        text = reader.pages[0].extract_text()
        assert agent_id in text and names[agent_id] in text
        assert f"{row['total_score']:.1f}" in text
        assert GRADE_NAMES[row["grade"]] in text and row["grade"].capitalize() in text
        assert f"{row['rank_in_team']} / " in text and f"{row['rank_in_centre']} / {len(marts)}" in text
        assert row["policy_version"] in text


def test_the_workbook_and_the_csv_hold_the_marts_numbers_for_every_agent(warehouse, inbox, tmp_path):
    out = tmp_path / "scorecards"
    ok(sent(warehouse, out, inbox.port))
    marts = marts_rows(warehouse)
    sheets = workbook_rows(inbox.messages[0].attachments()[f"scorecards_{MONTH}.xlsx"])

    teams = {row["team"] for row in marts.values()}
    assert teams <= set(sheets)
    for team in teams:
        in_team = {row["agent_id"]: row for row in sheets[team]}
        assert set(in_team) == {agent_id for agent_id, row in marts.items() if row["team"] == team}
        for agent_id, cells in in_team.items():
            values = {field: value for field, value in cells.items() if field in marts[agent_id] and field not in ("grade", "missing_components", "review_flags", "is_on_probation")}
            assert len(values) > 30
            for field, value in values.items():
                assert same(value, marts[agent_id][field]), (agent_id, field, value)
            assert GRADE_NAMES[marts[agent_id]["grade"]] in cells["grade"]
    centre = {row["agent_id"]: row for row in sheets["中心汇总 Centre"]}
    assert set(centre) == set(marts)
    for agent_id, cells in centre.items():
        assert (cells["total_score"], cells["rank_in_centre"], cells["rank_in_team"]) == (
            marts[agent_id]["total_score"], marts[agent_id]["rank_in_centre"], marts[agent_id]["rank_in_team"],
        )

    with open(out / MONTH / "v1" / f"scorecards_{MONTH}.csv", encoding="utf-8-sig", newline="") as handle:
        lines = {line["agent_id"]: line for line in csv.DictReader(handle)}
    assert set(lines) == set(marts)
    for agent_id, row in marts.items():
        for field, value in row.items():
            expected = "" if value is None else str(value)
            assert lines[agent_id][field] == expected, (agent_id, field)


def test_the_archive_lists_its_files_with_checksums_and_records_the_delivery(warehouse, inbox, tmp_path):
    out = tmp_path / "scorecards"
    ok(sent(warehouse, out, inbox.port))
    manifest = manifest_of(out, 1)
    folder = out / MONTH / "v1"

    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    on_disk = {path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file()} - {"manifest.json"}
    assert set(listed) == on_disk
    for path, digest in listed.items():
        assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == digest
    assert manifest["policy_version"] == next(iter(marts_rows(warehouse).values()))["policy_version"]
    assert manifest["publication_run_id"] == publication_run(warehouse)
    assert manifest["warehouse"] == str(warehouse)
    assert manifest["generated_at"]
    message_id = inbox.messages[0].message["Message-ID"]
    assert manifest["delivery"]["status"] == "sent" and manifest["delivery"]["message_id"] == message_id
    entry = ledger_of(out)["months"][MONTH]["versions"]["1"]
    assert entry["status"] == "sent" and entry["message_id"] == message_id and sorted(entry["recipients"]) == sorted(HR)


def test_a_re_run_sends_nothing_and_force_sends_again(warehouse, inbox, tmp_path):
    out = tmp_path / "scorecards"
    ok(sent(warehouse, out, inbox.port))
    again = ok(sent(warehouse, out, inbox.port))
    assert "already sent" in again.stdout
    assert len(inbox.messages) == 1
    assert not (out / MONTH / "v2").exists()

    ok(sent(warehouse, out, inbox.port, "--force"))
    assert len(inbox.messages) == 2
    assert inbox.messages[1].message["Message-ID"] != inbox.messages[0].message["Message-ID"]


def test_a_failed_send_is_retried_reported_never_marked_sent_and_a_later_run_sends_it(warehouse, smtp_server, tmp_path):
    out = tmp_path / "scorecards"
    port = free_port()  # nothing listens on it yet: the server is down

    failed = sent(warehouse, out, port)
    assert failed.returncode == 1, output_of(failed)
    assert "DELIVERY FAILED" in failed.stderr and "not sent after 3 attempt(s)" in failed.stderr
    assert failed.stderr.count("cannot connect to 127.0.0.1") == 3
    entry = ledger_of(out)["months"][MONTH]["versions"]["1"]
    assert entry["status"] == "failed" and "sent_at" not in entry
    assert [attempt["result"] for attempt in entry["attempts"]] == ["failed"] * 3
    assert manifest_of(out, 1)["delivery"]["status"] == "failed"

    inbox = smtp_server(port)
    ok(sent(warehouse, out, port))
    assert len(inbox.messages) == 1
    assert ledger_of(out)["months"][MONTH]["versions"]["1"]["status"] == "sent"
    assert manifest_of(out, 1)["delivery"]["status"] == "sent"


def test_a_send_that_may_have_arrived_is_not_sent_again_without_force(warehouse, inbox, tmp_path):
    """The process dies after the server took the message and before it could record it."""
    out = tmp_path / "scorecards"
    command = [*CCW, "scorecards", "--month", MONTH, "--warehouse", str(warehouse), "--out", str(out), "--send"]
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=smtp_env(inbox.port), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    inbox.on_data = lambda received: os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=300)
    assert process.returncode == -signal.SIGKILL
    inbox.on_data = None
    assert len(inbox.messages) == 1
    first_id = inbox.messages[0].message["Message-ID"]
    assert ledger_of(out)["months"][MONTH]["versions"]["1"]["status"] == "sending"

    doubtful = sent(warehouse, out, inbox.port)
    assert doubtful.returncode == 1, output_of(doubtful)
    assert "IN DOUBT" in doubtful.stderr and first_id in doubtful.stderr
    assert len(inbox.messages) == 1

    ok(sent(warehouse, out, inbox.port, "--force"))
    assert len(inbox.messages) == 2
    assert inbox.messages[1].message["Message-ID"] == first_id
    assert ledger_of(out)["months"][MONTH]["versions"]["1"]["status"] == "sent"


def test_the_server_login_is_used_and_a_refused_login_sends_nothing(warehouse, smtp_server, tmp_path):
    def authenticator(server, session, envelope, mechanism, auth_data):
        login, password = (text.decode() if isinstance(text, bytes) else text for text in (auth_data.login, auth_data.password))
        return AuthResult(success=(login, password) == ("ccw", "secret"), handled=False, auth_data=auth_data)

    inbox = smtp_server(authenticator=authenticator, auth_require_tls=False)
    out = tmp_path / "scorecards"
    refused = sent(warehouse, out, inbox.port, CCW_SMTP_USER="ccw", CCW_SMTP_PASSWORD="wrong")
    assert refused.returncode == 1, output_of(refused)
    assert refused.stderr.count("535") == 3
    assert ledger_of(out)["months"][MONTH]["versions"]["1"]["status"] == "failed"
    assert not inbox.messages

    ok(sent(warehouse, out, inbox.port, CCW_SMTP_USER="ccw", CCW_SMTP_PASSWORD="secret"))
    assert len(inbox.messages) == 1
    assert inbox.messages[0].login in ("ccw", b"ccw")


def test_sending_without_hr_addresses_stops_before_producing_anything(warehouse, inbox, tmp_path):
    out = tmp_path / "scorecards"
    result = sent(warehouse, out, inbox.port, CCW_HR_EMAILS="")
    assert result.returncode == 1
    assert "CCW_HR_EMAILS" in result.stderr
    assert not (out / MONTH).exists()
    assert not inbox.messages


def test_the_month_named_is_the_month_produced(warehouse, tmp_path):
    out = tmp_path / "scorecards"
    ok(scorecards(warehouse, out, month="2026-07"))
    july = marts_rows(warehouse, AUGUST.replace(month=7))
    assert {path.stem.rsplit("_", 1)[1] for path in (out / "2026-07" / "v1" / "pdf").iterdir()} == set(july)
    assert not (out / MONTH).exists()
