"""Processes the pipeline starts or finds: whether one is alive, and stopping a group of them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

# After SIGKILL the kernel ends a group at once; this only bounds the wait for it to say so.
KILLED_WITHIN_SECONDS = 10


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def group_members(group_id: int) -> list[int]:
    """The living processes of a process group; a zombie has already ended and is not one of them."""
    members = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            # `pid (command) state parent group ...`: the command may hold spaces and parentheses.
            state, _parent, group = stat_file.read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, IndexError):
            continue  # ended while being read
        if int(group) == group_id and state != "Z":
            members.append(int(stat_file.parent.name))
    return members


def stop_process_group(process: subprocess.Popen, grace_seconds: float = 20) -> None:
    """SIGTERM a child started with `start_new_session=True` and all it started; SIGKILL after the grace.

    The whole group is waited for, not only its leader: `dagster dev` may exit before the
    webserver, daemon and code servers it started, and may take long to stop them.
    """
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    if _group_ended(process, grace_seconds):
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    _group_ended(process, KILLED_WITHIN_SECONDS)


def _group_ended(process: subprocess.Popen, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        process.poll()  # reaps the leader, which is ours
        if process.returncode is not None and not group_members(process.pid):
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
