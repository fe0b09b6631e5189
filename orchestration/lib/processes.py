"""Processes the pipeline starts or finds: whether one is alive, and stopping a group of them."""

from __future__ import annotations

import os
import signal
import subprocess


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def stop_process_group(process: subprocess.Popen, grace_seconds: float = 20) -> None:
    """SIGTERM a child started with `start_new_session=True` and all it started; SIGKILL after the grace.

    `dagster dev` may take long to stop its webserver, daemon and code servers.
    """
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
