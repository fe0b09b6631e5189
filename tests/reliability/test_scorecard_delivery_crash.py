"""`ccw scorecards --send` killed mid-way, then run again: no e-mail to HR is lost or sent twice.

A real SMTP server on 127.0.0.1 can hold the sender at a chosen SMTP command, so the kill lands
there. A kill after the server took the message is covered with the scorecard tests; here the
process dies while the scorecards are being produced, and while the server is still before the
message (the ledger cannot know it was not delivered: it is "in doubt", and HR's mailbox decides).
"""

from __future__ import annotations

import asyncio
import email
import json
import shutil
import socket
import threading
import time
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from conftest import MONTH, ccw, group_alive, kill_group, output_of, start_ccw

GUARD_SECONDS = 600


class HoldingInbox:
    """Keeps every message it accepts; `hold_at("RCPT")` makes the next sender wait at that command."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.port = 0
        self.held_command: str | None = None
        self.holding = threading.Event()
        self.released = threading.Event()

    def hold_at(self, command: str) -> None:
        self.held_command, self.holding, self.released = command, threading.Event(), threading.Event()

    async def _hold(self, command: str) -> None:
        if self.held_command == command:
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            self.held_command = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        await self._hold("RCPT")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        await self._hold("DATA")
        self.messages.append(email.message_from_bytes(envelope.original_content or envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"


@pytest.fixture
def inbox():
    inbox = HoldingInbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    inbox.released.set()
    controller.stop()


@pytest.fixture
def warehouse(sample_run, tmp_path) -> Path:
    copy = tmp_path / "published" / "warehouse.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(sample_run.warehouse, copy)
    return copy


def smtp_env(sample_run, inbox: HoldingInbox) -> dict[str, str]:
    return {
        **sample_run.env,
        "CCW_SMTP_HOST": "127.0.0.1",
        "CCW_SMTP_PORT": str(inbox.port),
        "CCW_SMTP_FROM": "scorecards@centre.example",
        "CCW_HR_EMAILS": "hr.lead@centre.example",
    }


def send_args(warehouse: Path, out: Path, *flags: str) -> tuple[str, ...]:
    return ("scorecards", "--month", MONTH, "--warehouse", str(warehouse), "--out", str(out), "--send", *flags)


def kill_when(process, reached, log: Path) -> None:
    deadline = time.monotonic() + GUARD_SECONDS
    while not reached():
        assert process.poll() is None, f"ended (exit {process.returncode}) before the moment:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < deadline, "never reached the moment"
        time.sleep(0.01)
    kill_group(process)
    assert not group_alive(process)


def version_status(out: Path) -> dict[str, str]:
    ledger = json.loads((out / "deliveries.json").read_text(encoding="utf-8"))
    return {number: entry["status"] for number, entry in ledger["months"][MONTH]["versions"].items()}


def message_id(out: Path, version: str = "1") -> str:
    ledger = json.loads((out / "deliveries.json").read_text(encoding="utf-8"))
    return ledger["months"][MONTH]["versions"][version]["message_id"]


def test_killed_while_producing_the_scorecards_the_rerun_sends_them_once(sample_run, warehouse, inbox, tmp_path):
    out, log = tmp_path / "scorecards", tmp_path / "scorecards.log"
    env = smtp_env(sample_run, inbox)
    process = start_ccw(*send_args(warehouse, out), env=env, log=log)
    kill_when(process, lambda: any((out / MONTH).glob(".v1.partial/pdf/*.pdf")), log)
    assert inbox.messages == [] and not (out / MONTH / "v1").exists()

    rerun = ccw(*send_args(warehouse, out), env=env)

    assert rerun.returncode == 0, output_of(rerun)
    assert len(inbox.messages) == 1 and version_status(out) == {"1": "sent"}
    assert inbox.messages[0]["Message-ID"] == message_id(out)
    assert not list((out / MONTH).glob(".*partial")), "the killed production's partial folder was left behind"
    assert ccw(*send_args(warehouse, out), env=env).returncode == 0
    assert len(inbox.messages) == 1


def test_killed_before_the_server_took_the_message_it_is_in_doubt_and_sent_once_on_force(sample_run, warehouse, inbox, tmp_path):
    out, log = tmp_path / "scorecards", tmp_path / "scorecards.log"
    env = smtp_env(sample_run, inbox)
    inbox.hold_at("RCPT")
    process = start_ccw(*send_args(warehouse, out), env=env, log=log)
    kill_when(process, inbox.holding.is_set, log)
    inbox.released.set()
    assert inbox.messages == [] and version_status(out) == {"1": "sending"}
    in_doubt_id = message_id(out)

    doubtful = ccw(*send_args(warehouse, out), env=env)

    assert doubtful.returncode == 1, output_of(doubtful)
    assert "DELIVERY IN DOUBT" in doubtful.stderr + doubtful.stdout and in_doubt_id in doubtful.stderr + doubtful.stdout
    assert inbox.messages == [], "an e-mail in doubt is never sent again on its own"

    forced = ccw(*send_args(warehouse, out, "--force"), env=env)

    assert forced.returncode == 0, output_of(forced)
    assert [m["Message-ID"] for m in inbox.messages] == [in_doubt_id]
    assert version_status(out) == {"1": "sent"}
    assert ccw(*send_args(warehouse, out), env=env).returncode == 0
    assert len(inbox.messages) == 1
