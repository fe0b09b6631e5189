"""Stopping a group of processes: politely first, by force after the grace period, every member."""

import signal
import subprocess
import time

from orchestration.lib.processes import group_members, stop_process_group


def test_a_group_that_ignores_sigterm_is_killed_after_the_grace_period():
    stubborn = subprocess.Popen(["bash", "-c", "trap '' TERM; sleep 300 & wait"], start_new_session=True)
    time.sleep(0.5)  # let bash install its trap and start its child
    assert len(group_members(stubborn.pid)) == 2

    stop_process_group(stubborn, grace_seconds=1)

    assert stubborn.returncode == -signal.SIGKILL
    assert group_members(stubborn.pid) == []


def test_a_child_that_outlives_its_stopped_leader_is_killed_too():
    # The leader stops on SIGTERM; its child ignores it, as a server slow to shut down would.
    leader = subprocess.Popen(["bash", "-c", "(trap '' TERM; sleep 300) & wait"], start_new_session=True)
    time.sleep(0.5)

    stop_process_group(leader, grace_seconds=1)

    assert leader.returncode is not None
    assert group_members(leader.pid) == []


def test_a_group_that_honours_sigterm_stops_at_once():
    polite = subprocess.Popen(["sleep", "300"], start_new_session=True)

    stop_process_group(polite, grace_seconds=30)

    assert polite.returncode == -signal.SIGTERM
    assert group_members(polite.pid) == []
