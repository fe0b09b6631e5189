"""Helpers of the dashboard tests: the `ccw` command and a free port."""

from __future__ import annotations

import socket
import subprocess
import sys


def run_ccw(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orchestration.cli", *args], env=env, capture_output=True, text=True, check=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
