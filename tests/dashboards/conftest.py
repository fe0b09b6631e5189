"""One real Superset server for every dashboard test, provisioned as `ccw serve` provisions it.

`centre` is a small generated centre (20 agents, 2 months) run through `ccw run`; `superset` starts
the server once for the session on a free 127.0.0.1 port and stops it at the end; `admin` is a
logged-in REST client. Screenshots go to `artifacts`, a folder printed at the end of the session.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from dashboards_support import run_ccw

from orchestration.lib.dashboards import SupersetClient, SupersetSettings, serving
from orchestration.lib.dashboards.settings import ADMIN
from orchestration.lib.ports import free_port

HASH_KEY = "dashboards-test-hash-key"


@dataclass(frozen=True)
class Centre:
    warehouse: Path
    env: dict[str, str]

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


@dataclass(frozen=True)
class Server:
    url: str
    settings: SupersetSettings

    def client(self, username: str = ADMIN, password: str | None = None) -> SupersetClient:
        return SupersetClient(self.url, username, self.settings.admin_password if password is None else password)


@pytest.fixture(scope="session")
def centre(tmp_path_factory) -> Centre:
    root = tmp_path_factory.mktemp("dashboards")
    env = {**os.environ, "CCW_PII_HASH_KEY": HASH_KEY, "DAGSTER_HOME": str(root / "dagster")}
    landing, warehouse = root / "landing", root / "warehouse.duckdb"
    for args in (
        ("generate", "--out", str(landing), "--agents", "20", "--teams", "3", "--months", "2", "--seed", "5"),
        ("run", "--landing", str(landing), "--warehouse", str(warehouse)),
    ):
        result = run_ccw(*args, env=env)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return Centre(warehouse, env)


@pytest.fixture(scope="session")
def superset(centre: Centre, tmp_path_factory) -> Iterator[Server]:
    secrets_env = {"CCW_SUPERSET_SECRET_KEY": secrets.token_hex(32), "CCW_SUPERSET_ADMIN_PASSWORD": secrets.token_urlsafe(16)}
    home = tmp_path_factory.mktemp("superset_home")
    with pytest.MonkeyPatch.context() as env:
        for name, value in {**secrets_env, "CCW_SUPERSET_HOME": str(home)}.items():
            env.setenv(name, value)
        settings = SupersetSettings.from_env(centre.warehouse)
        with serving(settings, free_port(), workers=1) as url:
            yield Server(url, settings)


@pytest.fixture(scope="session")
def admin(superset: Server) -> SupersetClient:
    return superset.client()


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("artifacts")
    yield folder
    print(f"\ndashboard screenshots: {folder}")
