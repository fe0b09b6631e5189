"""`ccw-dbt`: dbt's own command line, without building the log lines its output level drops.

dbt fires about twenty events a node (each SQL statement, each connection it takes) and renders
every one of them into a JSON line for its standard output before that output's level (info)
throws the debug ones away: nine lines in ten are built for nothing, the better part of the time
dbt spends on its events. Here a line below its output's level is dropped before it is built;
every line that is written is the same as dbt's.

This module is the dbt process's entry point: it imports nothing of the pipeline but the
standard-library helper `orchestration.lib.collector`.
"""

from __future__ import annotations

import gc
import sys

from dbt_common.events import logger as event_logger

from orchestration.lib.collector import frozen_once_created

_build_and_write_line = event_logger._Logger.write_line


def write_line_if_kept(self: event_logger._Logger, msg) -> None:
    python_logger = self._python_logger
    # dbt's own map of its levels to Python's; a level it does not know is left to dbt to report.
    level = event_logger._log_level_map.get(msg.info.level)
    # Print events are always written (at the error level), whatever their own level says.
    if python_logger is not None and level is not None and not event_logger._is_print_event(msg):
        if not python_logger.isEnabledFor(level):
            return
    _build_and_write_line(self, msg)


def main() -> None:
    event_logger._Logger.write_line = write_line_if_kept
    # dbt's classes and their generated (de)serializers live as long as the process: left to the
    # collector, every full collection of the run goes through them again.
    with frozen_once_created():
        from dbt.cli.main import cli

    try:
        sys.exit(cli())
    finally:
        # Collectable again on the way out, so that DuckDB's bindings see their objects freed.
        gc.unfreeze()
