"""Helpers of the scorecard tests: running `ccw`, reading the marts back, a real SMTP inbox."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import duckdb

REPO_ROOT = Path(__file__).resolve().parents[2]
CCW = [sys.executable, "-m", "orchestration.cli"]
HASH_KEY = "scorecards-test-key"
MONTH, JULY = "2026-08", "2026-07"
AUGUST = date(2026, 8, 1)
HR = ("hr.lead@centre.example", "payroll@centre.example")
BLOCKED = 2


def run_ccw(*args: str, env: dict[str, str], timeout: float = 1200) -> subprocess.CompletedProcess:
    return subprocess.run([*CCW, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def output_of(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"


def alter(warehouse: Path, sql: str, params: list | None = None) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute(sql, params or [])


def marts_rows(warehouse: Path, month: date = AUGUST) -> dict[str, dict[str, Any]]:
    """marts.fct_agent_scorecard's rows of the month by agent, read directly, DECIMALs as floats."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute("SELECT * FROM marts.fct_agent_scorecard WHERE month = ?", [month])
        names = [column[0] for column in cursor.description]
        rows = [{n: float(v) if isinstance(v, Decimal) else v for n, v in zip(names, record)} for record in cursor.fetchall()]
    return {row["agent_id"]: row for row in rows}


def agent_names(warehouse: Path) -> dict[str, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute("SELECT agent_id, arg_max(name, valid_from) FROM marts.dim_agent GROUP BY agent_id").fetchall())


def publication_run(warehouse: Path) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("SELECT run_id FROM audit.dq_results ORDER BY checked_at DESC LIMIT 1").fetchone()[0]


# --- SMTP ----------------------------------------------------------------------------------------


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    login: str | bytes | None = None

    def attachments(self) -> dict[str, bytes]:
        return {part.get_filename(): part.get_payload(decode=True) for part in self.message.iter_attachments()}

    @property
    def body(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()


@dataclass
class Inbox:
    messages: list[Received] = field(default_factory=list)
    port: int = 0
    on_data: Any = None
    """Called with the message before the server answers 250, to act at that moment."""

    async def handle_DATA(self, server, session, envelope) -> str:
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        received = Received(envelope.mail_from, list(envelope.rcpt_tos), message, session.login_data)
        if self.on_data:
            self.on_data(received)
        self.messages.append(received)
        return "250 Message accepted for delivery"


def smtp_env(port: int, **overrides: str) -> dict[str, str]:
    return {
        **os.environ,
        "CCW_SMTP_HOST": "127.0.0.1",
        "CCW_SMTP_PORT": str(port),
        "CCW_SMTP_TLS": "false",
        "CCW_SMTP_USER": "",
        "CCW_SMTP_PASSWORD": "",
        "CCW_SMTP_FROM": "scorecards@centre.example",
        "CCW_HR_EMAILS": ",".join(HR),
        **overrides,
    }


def scorecards(warehouse: Path, out: Path, *flags: str, env: dict[str, str] | None = None, month: str = MONTH) -> subprocess.CompletedProcess:
    return run_ccw("scorecards", "--month", month, "--warehouse", str(warehouse), "--out", str(out), *flags, env=env or dict(os.environ), timeout=300)


def ledger_of(out: Path) -> dict[str, Any]:
    return json.loads((out / "deliveries.json").read_text(encoding="utf-8"))


def manifest_of(out: Path, version: int, month: str = MONTH) -> dict[str, Any]:
    return json.loads((out / month / f"v{version}" / "manifest.json").read_text(encoding="utf-8"))
