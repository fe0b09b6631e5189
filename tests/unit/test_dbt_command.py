"""The pipeline's dbt command: dbt's version known without starting dbt, and dbt's log lines built
only where its output keeps them."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from dagster_dbt import DbtCliResource
from dbt.adapters.events.types import SQLQuery
from dbt.events.types import ListCmdOut, MainReportVersion
from dbt_common.events.base_types import EventLevel, msg_from_base_event
from dbt_common.events.logger import LineFormat, LoggerConfig, _JsonLogger

from orchestration.defs.transformation.dbt_command import DbtCommand
from orchestration.defs.transformation.project import DBT_PROJECT_DIR, dbt_project, policy_vars
from orchestration.lib.dbt_process import write_line_if_kept
from orchestration.lib.settings import dbt_environment

DEBUG_EVENT = SQLQuery(conn_name="model.ccw.fct_calls", sql="select 1", node_info={})
INFO_EVENT = MainReportVersion(version="1.11.0", log_version=3)
PRINT_EVENT = ListCmdOut(msg="ccw.marts.fct_calls")


def test_the_version_is_the_one_the_dbt_executable_prints() -> None:
    command = DbtCommand(project_dir=dbt_project)
    printed = subprocess.run([command.dbt_executable, "--version"], capture_output=True, text=True, check=True).stdout

    assert str(command._cli_version) == re.search(r"(\d+\.\d+\.\d+)", printed).group(1)
    assert command._cli_version == DbtCliResource(project_dir=dbt_project)._cli_version


def test_dbt_is_started_as_ccw_dbt_without_a_debug_log_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """A command through the pipeline's resource, and the same through dagster-dbt's own."""
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    for name, value in dbt_environment(tmp_path / "warehouse.duckdb", "1GB").items():
        monkeypatch.setenv(name, value)
    listing = ["ls", "--resource-type", "model", "--vars", policy_vars]
    command = DbtCommand(project_dir=dbt_project)
    ours = command.cli(listing).wait()
    stock = DbtCliResource(project_dir=dbt_project).cli(listing).wait()
    # Each command's own folder under the project's target, as the pipeline removes it after a build.
    for invocation in (ours, stock):
        request.addfinalizer(lambda folder=invocation.target_path: shutil.rmtree(folder, ignore_errors=True))

    assert Path(command.dbt_executable).name == "ccw-dbt" and os.access(command.dbt_executable, os.X_OK)
    assert command.global_config_flags == ["--log-level-file", "none"]
    assert ours.is_successful() and Path(ours.process.args[0]).name == "ccw-dbt"
    assert not (ours.target_path / "dbt.log").exists()
    assert (stock.target_path / "dbt.log").exists(), "dbt writes its debug log where it is not told otherwise"


def json_logger(name: str, level: EventLevel) -> tuple[_JsonLogger, io.StringIO]:
    output = io.StringIO()
    return _JsonLogger(LoggerConfig(name=name, level=level, line_format=LineFormat.Json, output_stream=output)), output


@pytest.mark.parametrize("level", [EventLevel.INFO, EventLevel.DEBUG, EventLevel.ERROR])
def test_a_logger_writes_the_same_lines_as_dbts(level: EventLevel) -> None:
    dbts, dbt_output = json_logger(f"dbt's at {level}", level)
    ours, our_output = json_logger(f"ours at {level}", level)
    for event in (DEBUG_EVENT, INFO_EVENT, PRINT_EVENT):
        message = msg_from_base_event(event)
        dbts.write_line(message)
        write_line_if_kept(ours, message)

    assert our_output.getvalue() == dbt_output.getvalue()


def test_a_line_below_the_level_is_never_built(monkeypatch: pytest.MonkeyPatch) -> None:
    logger, output = json_logger("at info", EventLevel.INFO)
    built = []
    monkeypatch.setattr(logger, "create_line", lambda msg: built.append(msg.info.name) or msg.info.name)
    for event in (DEBUG_EVENT, INFO_EVENT, PRINT_EVENT):
        write_line_if_kept(logger, msg_from_base_event(event))

    assert built == ["MainReportVersion", "ListCmdOut"]
    assert output.getvalue().split() == built


def test_ccw_dbt_prints_what_dbt_prints(tmp_path: Path) -> None:
    """Both list the project's models in JSON lines: the same events, levels and messages."""

    def listed(executable: str) -> list[tuple[str, str, str]]:
        target = tmp_path / Path(executable).name
        environment = {
            **os.environ,
            **dbt_environment(tmp_path / "warehouse.duckdb", "1GB"),
            "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
            "DBT_TARGET_PATH": str(target),
            "DBT_LOG_PATH": str(target),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }
        command = [executable, "--log-format", "json", "ls", "--resource-type", "model", "--vars", policy_vars]
        done = subprocess.run(command, cwd=DBT_PROJECT_DIR, env=environment, capture_output=True, text=True, check=True)
        # Nothing on the way out either, such as DuckDB's bindings reporting objects never freed.
        assert done.stderr == "", done.stderr[:500]
        events = [json.loads(line)["info"] for line in done.stdout.splitlines()]
        # Timings differ from one command to the next.
        return [(e["name"], e["level"], re.sub(r"[\d.]+ ?(seconds|s)\b", "", e["msg"])) for e in events]

    dbt = DbtCommand(project_dir=dbt_project)
    ours = listed(dbt.dbt_executable)

    assert ours == listed(str(Path(dbt.dbt_executable).with_name("dbt")))
    assert [name for name, _, message in ours if message.endswith(".fct_calls")] == ["PrintEvent"]
