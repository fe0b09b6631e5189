"""Helpers of the dashboard tests: the `ccw` command."""

from __future__ import annotations

import subprocess
import sys


def run_ccw(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orchestration.cli", *args], env=env, capture_output=True, text=True, check=False)
