"""Stopping a group of processes: politely first, by force after the grace period, every member."""

import signal
import subprocess
import sys
import time
from pathlib import Path

from orchestration.lib.processes import group_members, stop_process_group

HONOURS_SIGTERM = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_DFL);"
    " signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM}); print('ready', flush=True); time.sleep(300)"
)


def wait_for_sleep(leader: subprocess.Popen) -> None:
    """Until the group's `sleep` runs: the trap before it in the script is set by then."""
    deadline = time.monotonic() + 30
    while not any(Path(f"/proc/{pid}/comm").read_text().strip() == "sleep" for pid in group_members(leader.pid)):
        assert time.monotonic() < deadline, f"the group of {leader.pid} never started its sleep"
        time.sleep(0.05)


def test_a_group_that_ignores_sigterm_is_killed_after_the_grace_period():
    stubborn = subprocess.Popen(["bash", "-c", "trap '' TERM; sleep 300 & wait"], start_new_session=True)
    wait_for_sleep(stubborn)
    assert len(group_members(stubborn.pid)) == 2

    stop_process_group(stubborn, grace_seconds=1)

    assert stubborn.returncode == -signal.SIGKILL
    assert group_members(stubborn.pid) == []


def test_a_child_that_outlives_its_stopped_leader_is_killed_too():
    # The leader stops on SIGTERM; its child ignores it, as a server slow to shut down would.
    leader = subprocess.Popen(["bash", "-c", "(trap '' TERM; sleep 300) & wait"], start_new_session=True)
    wait_for_sleep(leader)

    stop_process_group(leader, grace_seconds=1)

    assert leader.returncode is not None
    assert group_members(leader.pid) == []


def test_a_group_that_honours_sigterm_stops_at_once():
    # The child sets SIGTERM's default action itself, whatever it inherited, and says when it has.
    polite = subprocess.Popen([sys.executable, "-c", HONOURS_SIGTERM], start_new_session=True, stdout=subprocess.PIPE, text=True)
    assert polite.stdout.readline() == "ready\n"

    stop_process_group(polite, grace_seconds=30)
    polite.stdout.close()

    assert polite.returncode == -signal.SIGTERM
    assert group_members(polite.pid) == []
