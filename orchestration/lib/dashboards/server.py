"""Superset's metadata database and admin user, and its web server on 127.0.0.1."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from orchestration.lib.dashboards.client import SupersetError
from orchestration.lib.dashboards.settings import ADMIN, SupersetSettings

BIN = Path(sys.executable).parent


def _superset(settings: SupersetSettings, *args: str) -> None:
    completed = subprocess.run(
        [str(BIN / "superset"), *args], env=settings.environment(), capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise SupersetError(f"superset {args[0]} failed:\n{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}")


def _admin_exists(settings: SupersetSettings) -> bool:
    with sqlite3.connect(settings.home / "superset.db") as con:
        return con.execute("SELECT count(*) FROM ab_user WHERE username = ?", [ADMIN]).fetchone()[0] > 0


def prepare_metadata(settings: SupersetSettings, say: Callable[[str], None] = print) -> None:
    """Creates or upgrades Superset's own database, sets the admin password and the built-in roles."""
    settings.home.mkdir(parents=True, exist_ok=True)
    say("superset: upgrading its metadata database")
    _superset(settings, "db", "upgrade")
    if _admin_exists(settings):
        say("superset: setting the admin password")
        _superset(settings, "fab", "reset-password", "--username", ADMIN, "--password", settings.admin_password)
    else:
        say("superset: creating the admin user")
        _superset(
            settings, "fab", "create-admin", "--username", ADMIN, "--firstname", "CCW", "--lastname", "Admin",
            "--email", "admin@localhost", "--password", settings.admin_password,
        )
    say("superset: initialising its roles and permissions")
    _superset(settings, "init")


@contextmanager
def running_server(settings: SupersetSettings, port: int, workers: int = 2, startup_seconds: int = 300) -> Iterator[str]:
    """Superset's web server bound to 127.0.0.1:PORT until the block ends; yields its address."""
    log_file = settings.home / "gunicorn.log"
    with open(log_file, "ab") as log:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "gthread",
                "--threads", "8", "--timeout", "300", "--limit-request-line", "0", "--no-control-socket", "superset.app:create_app()",
            ],
            env=settings.environment(), stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(server, url, startup_seconds, log_file)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_healthy(server: subprocess.Popen, url: str, startup_seconds: int, log: Path) -> None:
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SupersetError(f"Superset stopped while starting (exit {server.returncode}); see {log}")
        try:
            if requests.get(f"{url}/health", timeout=30).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet, or still loading the application
        time.sleep(1)
    raise SupersetError(f"Superset did not answer {url}/health within {startup_seconds} s; see {log}")
