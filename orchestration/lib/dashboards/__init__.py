"""Superset dashboards provisioned from the committed bundle: metadata, assets, roles, server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from orchestration.lib.dashboards.access import set_access
from orchestration.lib.dashboards.assets import import_bundle, refresh_columns
from orchestration.lib.dashboards.client import SupersetClient, SupersetError
from orchestration.lib.dashboards.server import prepare_metadata, running_server
from orchestration.lib.dashboards.settings import ADMIN, SupersetSettings

__all__ = ["SupersetClient", "SupersetError", "SupersetSettings", "serving"]


@contextmanager
def serving(settings: SupersetSettings, port: int, workers: int = 2, say: Callable[[str], None] = print) -> Iterator[str]:
    """Provisions Superset (idempotently) and serves it on 127.0.0.1:PORT until the block ends."""
    for path in (settings.warehouse, settings.quality):
        if not path.exists():
            raise SupersetError(f"{path} does not exist: publish the warehouse with `ccw run` first")
    prepare_metadata(settings, say)
    with running_server(settings, port, workers) as url:
        client = SupersetClient(url, ADMIN, settings.admin_password)
        say("superset: importing the dashboards bundle")
        import_bundle(client, settings)
        datasets = refresh_columns(client)
        roles = set_access(client, datasets, settings.warehouse)
        say(f"superset: {len(datasets)} datasets, roles {', '.join(roles)}")
        yield url
