"""Stopping a group of processes: politely first, by force after the grace period."""

import subprocess
import time

from orchestration.lib.processes import process_alive, stop_process_group


def test_a_group_that_ignores_sigterm_is_killed_after_the_grace_period():
    stubborn = subprocess.Popen(["bash", "-c", "trap '' TERM; sleep 300 & wait"], start_new_session=True)
    time.sleep(0.5)  # let bash install its trap and start its child
    stop_process_group(stubborn, grace_seconds=1)
    assert stubborn.returncode is not None
    assert not subprocess.run(["pgrep", "-g", str(stubborn.pid)], capture_output=True, check=False).stdout


def test_a_group_that_honours_sigterm_stops_at_once():
    polite = subprocess.Popen(["sleep", "300"], start_new_session=True)
    stop_process_group(polite, grace_seconds=30)
    assert not process_alive(polite.pid)
