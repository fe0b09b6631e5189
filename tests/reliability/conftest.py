"""One generated sample centre, run once through `ccw run`, shared by the crash and personal-data tests.

- `sample_run` is built once per session: `ccw generate` (10 agents, 2 teams, August 2026), a few
  broken lines carrying personal data appended to a calls file (`BROKEN_LINES_PERSONAL_DATA`), then
  `ccw run`, its stdout and stderr kept. Tests that change files work on `copy_of(sample_run, ...)`.
- `ccw(...)` runs the command as a user does; `start_ccw(...)` starts it in its own process group,
  so that a test can kill it and every child (dbt) at once with `kill_group`.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CCW = [sys.executable, "-m", "orchestration.cli"]
HASH_KEY = "reliability-test-key"
MONTH = "2026-08"
# Personal data on lines the loader quarantines, appended to the first calls file: a call with a
# negative talk time, and two lines cut short (a row the loader cannot split into columns keeps
# its text, digits masked). Few enough for the gate's 2% quarantine limit.
PHONE_ON_BROKEN_ROW, PHONE_ON_SHORT_LINE, ID_ON_SHORT_LINE = "13912345678", "+86 139-8765-4321", "11010519900307123X"
BROKEN_LINES_PERSONAL_DATA = (PHONE_ON_BROKEN_ROW, PHONE_ON_SHORT_LINE, ID_ON_SHORT_LINE)


@dataclass(frozen=True)
class SampleRun:
    root: Path
    env: dict[str, str]
    output: str
    """stdout and stderr of the run."""

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def working(self) -> Path:
        return self.root / "warehouse.working.duckdb"

    @property
    def dagster_home(self) -> Path:
        return Path(self.env["DAGSTER_HOME"])


def environment(root: Path) -> dict[str, str]:
    """The run's environment: the test key, a Dagster home of its own, no setting of the caller's."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("CCW_") and k != "DAGSTER_HOME"}
    return {**inherited, "CCW_PII_HASH_KEY": HASH_KEY, "DAGSTER_HOME": str(root / "dagster")}


def ccw(*args: str, env: dict[str, str], timeout: float = 1800) -> subprocess.CompletedProcess:
    return subprocess.run([*CCW, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def output_of(result: subprocess.CompletedProcess) -> str:
    return f"exit {result.returncode}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"


def start_ccw(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    """`ccw` in a new session (its own process group), stdout and stderr appended to `log`."""
    with open(log, "ab") as output:
        return subprocess.Popen([*CCW, *args], cwd=REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL to the command and every process it started, then reap it."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)


def group_alive(process: subprocess.Popen) -> bool:
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return True


def copy_of(run: SampleRun, root: Path) -> SampleRun:
    """The sample's landing folder, warehouses and Dagster home copied, to be changed freely."""
    shutil.copytree(run.root, root)
    return SampleRun(root, environment(root), run.output)


def append_lines(path: Path, *lines: dict[str, str] | str) -> None:
    """Lines appended in the file's own line endings: a dict becomes a CSV record in the header's order."""
    data = path.read_bytes()
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    header = next(csv.reader([data.split(newline, 1)[0].decode("utf-8-sig", errors="replace")]))
    for line in lines:
        if isinstance(line, dict):
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="").writerow([line.get(column, "") for column in header])
            line = buffer.getvalue()
        data = data.rstrip(b"\r\n") + newline + line.encode("ascii") + newline
    path.write_bytes(data)


def add_broken_lines_with_personal_data(landing: Path) -> None:
    calls = min((landing / "telephony" / "calls").glob("calls_*.csv"))
    day = calls.stem.split("_")[1]
    broken_call = {
        "call_id": "PII-BROKEN-1", "direction": "inbound", "queue": "consult", "customer_number": PHONE_ON_BROKEN_ROW,
        "enqueued_at": f"{day} 10:00:00", "ended_at": f"{day} 10:01:00", "talk_seconds": "-5", "hold_seconds": "0",
        "wrap_seconds": "0", "outcome": "abandoned",
    }
    append_lines(calls, broken_call, f"PII-BROKEN-2,,inbound,consult,{PHONE_ON_SHORT_LINE}", f"PII-BROKEN-3,{ID_ON_SHORT_LINE}")


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory) -> SampleRun:
    root = tmp_path_factory.mktemp("sample")
    env = environment(root)
    generated = ccw(
        "generate", "--out", str(root / "landing"), "--agents", "10", "--teams", "2", "--start", MONTH, "--months", "1", "--seed", "11",
        env=env,
    )
    assert generated.returncode == 0, output_of(generated)
    add_broken_lines_with_personal_data(root / "landing")
    result = ccw("run", "--landing", str(root / "landing"), "--warehouse", str(root / "warehouse.duckdb"), env=env)
    assert result.returncode == 0, output_of(result)
    return SampleRun(root, env, result.stdout + result.stderr)
