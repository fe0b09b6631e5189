"""`ccw`: a thin command line over the pipeline's Dagster definitions."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import click
from dotenv import load_dotenv

from ingestion.contract import EXTRACTS
from orchestration.lib.months import months_later
from orchestration.lib.settings import REPO_ROOT, SAMPLE_MARKER, Settings, SettingsError, hash_key_from_env_or_sample, prepare_environment


BLOCKED = 2
"""Exit code of a run that a blocking data-quality check kept from publishing."""


def _parse_month(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not a month YYYY-MM") from error


@click.group()
def main() -> None:
    """Call-centre performance warehouse."""


@main.command()
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True, help="Landing folder to write.")
@click.option("--agents", default=60, show_default=True, help="Agents in the centre.")
@click.option("--teams", default=4, show_default=True, help="Teams they are split into.")
@click.option("--start", help="First month YYYY-MM (default: three months before this one).")
@click.option("--months", default=3, show_default=True, help="Calendar months to generate.")
@click.option("--seed", default=0, show_default=True, help="Random seed: the same seed gives the same files.")
def generate(out_dir: Path, agents: int, teams: int, start: str | None, months: int, seed: int) -> None:
    """Write a sample centre's extracts, exactly per the extract contract."""
    from ingestion.sample import generate_centre

    first_month = _parse_month(start) or months_later(date.today(), -3)
    _clear_earlier_sample(out_dir)
    click.echo(f"generating {agents} agents in {teams} teams, {months} months from {first_month:%Y-%m} into {out_dir}")
    started = time.monotonic()
    counts = generate_centre(
        out_dir, agents=agents, teams=teams, start=first_month, months=months, seed=seed, progress=click.echo
    )
    (out_dir / SAMPLE_MARKER).write_text("Synthetic extracts written by `ccw generate`.\n")
    for extract, rows in counts.items():
        click.echo(f"  {extract:<12} {rows:>12,} rows")
    click.echo(f"done in {time.monotonic() - started:.1f} s")


def _clear_earlier_sample(out_dir: Path) -> None:
    """Regenerating replaces an earlier sample; a folder holding anything else is never touched."""
    if not out_dir.exists() or not any(out_dir.iterdir()):
        return
    if not (out_dir / SAMPLE_MARKER).exists():
        raise click.ClickException(f"{out_dir} is not empty and was not written by `ccw generate`: choose another folder")
    for system in sorted({extract.system for extract in EXTRACTS}):
        shutil.rmtree(out_dir / system, ignore_errors=True)


@main.command()
@click.option("--landing", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Landing folder (default: data/landing).")
@click.option("--warehouse", type=click.Path(dir_okay=False, path_type=Path), help="Warehouse file to publish (default: data/warehouse.duckdb).")
def run(landing: Path | None, warehouse: Path | None) -> None:
    """Load every extract, build and check the marts, and publish the warehouse.

    Exits 0 when published, 2 when a blocking data-quality check stopped publication, 1 on any
    other failure.
    """
    settings = _configure(landing, warehouse)
    _execute(settings, "ccw_pipeline")


@main.command()
@click.option("--from", "first_month", required=True, help="First month to recompute, YYYY-MM.")
@click.option("--to", "last_month", required=True, help="Last month to recompute, YYYY-MM.")
@click.option("--landing", type=click.Path(exists=True, file_okay=False, path_type=Path), help="Landing folder, whose first month starts the partitions (default: data/landing).")
@click.option("--warehouse", type=click.Path(dir_okay=False, path_type=Path), help="Warehouse file to publish (default: data/warehouse.duckdb).")
def backfill(first_month: str, last_month: str, landing: Path | None, warehouse: Path | None) -> None:
    """Recompute exactly the months FROM..TO from the loaded extracts, check them and publish.

    Other months are left as they are; extracts not loaded yet wait for the next `ccw run`. Exit
    codes as for `ccw run`.
    """
    first, last = _parse_month(first_month), _parse_month(last_month)
    if last < first:
        raise click.BadParameter(f"--to {last_month} is before --from {first_month}")
    settings = _configure(landing, warehouse, require_key=False)
    # The same single run that a backfill of this partition range launches from Dagster's UI.
    _execute(settings, "ccw_backfill", backfill=(first, last))


def _execute(settings: Settings, job_name: str, backfill: tuple[date, date] | None = None) -> None:
    """Run a job of the definitions through Dagster, report it, and exit with the gate's verdict."""
    from orchestration.lib.generations import restoring_in_background

    # The file the last publication replaced becomes the working copy on the other core, while this
    # one loads the definitions; the run's first write waits for it if it is not done.
    restoring = restoring_in_background(settings.working_warehouse, settings.warehouse)
    try:
        _run_and_report(settings, job_name, backfill)
    finally:
        if restoring:
            restoring.wait()


def _run_and_report(settings: Settings, job_name: str, backfill: tuple[date, date] | None) -> None:
    click.echo("loading the pipeline definitions (validates the scoring policy, parses the dbt project)")
    from orchestration.lib.without_dbt_core import keep_dbt_core_out

    keep_dbt_core_out()
    from dagster import DagsterInstance

    from orchestration.lib.abandoned_runs import release_abandoned_runs, run_tags
    from orchestration.lib.collector import frozen_once_created
    from orchestration.lib.policy import PolicyError
    from orchestration.reporting import RunReport, print_run_summary

    # The definitions are half a million objects that live as long as the process: the collector
    # would go through them all again while importing and on the interpreter's way out (2 s).
    try:
        with frozen_once_created():
            from orchestration.definitions import defs
    except PolicyError as error:
        click.echo(f"PUBLICATION BLOCKED: the scoring policy is invalid, nothing was run\n{error}", err=True)
        sys.exit(BLOCKED)

    from orchestration.defs.transformation.partitions import NoSuchMonth, backfill_tags, regular_run_tags

    job = defs.resolve_job_def(job_name)
    try:
        tags = backfill_tags(job.partitions_def, *backfill) if backfill else regular_run_tags(job.partitions_def)
    except NoSuchMonth as error:
        click.echo(str(error), err=True)
        sys.exit(1)
    # Disposed on the way out: the event log's open connections close while the modules behind them are there.
    with DagsterInstance.get() as instance:
        for run_id in release_abandoned_runs(instance):
            click.echo(f"run {run_id} was left unfinished by a ccw process that is gone: marked failed, its warehouse slot freed")
        started = time.monotonic()
        dbt_log = settings.dagster_home / "logs" / f"dbt-{datetime.now():%Y%m%d-%H%M%S}.log"
        dbt_log.parent.mkdir(parents=True, exist_ok=True)
        click.echo(f"running {job_name} through Dagster (home: {settings.dagster_home})")
        # dbt's own event stream is long: it goes to a file, the terminal gets one line per step.
        with open(dbt_log, "w") as log, contextlib.redirect_stdout(log):
            result = job.execute_in_process(
                instance=instance,
                raise_on_error=False,
                tags=tags | run_tags(),
                run_config={"loggers": {"console": {"config": {"log_level": "INFO"}}}},
            )
    # A publication leaves no working copy until the next run's first write; the served file is the same.
    report = RunReport.read(settings.working_warehouse if settings.working_warehouse.exists() else settings.warehouse, result.run_id)
    published = published_in(result)
    if result.success and not published:
        # A run whose steps all succeeded can still have skipped publication, e.g. after an
        # upstream asset produced nothing: reporting it as a success would leave stale numbers served.
        click.echo("the run's steps succeeded but its publication step did not run: nothing was published", err=True)
    print_run_summary(settings, result.run_id, result.success and published, time.monotonic() - started, report, dbt_log)
    sys.exit(BLOCKED if report.blocked_by else 0 if result.success and published else 1)


def published_in(result) -> bool:
    """Whether the run (an `ExecuteInProcessResult`) materialized the published warehouse."""
    from orchestration.defs.publication.assets import published_warehouse

    return any(event.asset_key == published_warehouse.key for event in result.get_asset_materialization_events())



@main.command()
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=Path("data/bench/cache"), show_default=True, help="Where the generated centre is kept and reused.")
@click.option("--work", type=click.Path(file_okay=False, path_type=Path), default=Path("data/bench/run"), show_default=True, help="Landing links, warehouse and logs of the runs (emptied first).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("data/bench/results.json"), show_default=True, help="The results, as JSON.")
@click.option("--agents", default=1000, show_default=True)
@click.option("--months", default=12, show_default=True)
@click.option("--teams", type=int, help="Default: one team per 25 agents.")
@click.option("--start", default="2025-01", show_default=True, help="First month YYYY-MM.")
@click.option("--seed", default=0, show_default=True)
def bench(cache: Path, work: Path, out: Path, agents: int, months: int, teams: int | None, start: str, seed: int) -> None:
    """Measure a full build, a daily run and a one-month backfill against a plain-SQL baseline,
    then the dashboards' chart queries on the published warehouse.

    Exits 1 when a run failed, the baseline's KPIs differ from the marts or a chart query failed.
    """
    from orchestration.bench.centre import CentreParameters
    from orchestration.bench.runner import run_benchmark, table, write

    load_dotenv(REPO_ROOT / ".env", override=False)
    try:
        memory_limit = Settings.from_env().duckdb_memory_limit
    except SettingsError as error:
        raise click.ClickException(str(error)) from error
    parameters = CentreParameters(agents, months, teams or max(1, agents // 25), _parse_month(start), seed)
    results = run_benchmark(parameters, cache.resolve(), work.resolve(), memory_limit, click.echo)
    write(results, out)
    click.echo(table(results))
    agreement = results["baseline"]["agrees_with_marts"]
    click.echo(f"full build / baseline: {results['full_build_over_baseline']}")
    if agreement:
        verdict = "equal" if agreement["equal"] else f"DIFFERENT in {', '.join(agreement['mismatches'])}"
        click.echo(f"baseline KPIs vs marts over {agreement['agent_months']:,} agent-months: {verdict}")
    charts = results["chart_queries"]
    if charts["measured"]:
        click.echo(f"chart queries: p50 {charts['p50_ms']} ms, p95 {charts['p95_ms']} ms over {charts['queries']} queries of {charts['charts']} charts")
    else:
        click.echo(f"chart queries: not measured ({charts['reason']})")
    click.echo(f"results written to {out}")
    if not results["all_runs_succeeded"] or not (agreement and agreement["equal"]) or not charts["measured"]:
        sys.exit(1)


@main.command()
@click.option("--port", default=3000, show_default=True)
def ui(port: int) -> None:
    """Open Dagster's UI on 127.0.0.1 with the pipeline, its runs, schedules and sensors."""
    settings = _configure(None, None, require_key=False)
    _hand_hash_key_to_runs(settings)
    click.echo(f"Dagster UI on http://127.0.0.1:{port} (home: {settings.dagster_home})")
    os.execvp("dagster", ["dagster", "dev", "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)])


def _hand_hash_key_to_runs(settings: Settings) -> None:
    """Runs started from Dagster's UI inherit the hashing key, or the sample's key on sample data."""
    try:
        key, note = hash_key_from_env_or_sample(settings)
        os.environ["CCW_PII_HASH_KEY"] = key
        if note:
            click.echo(note)
    except SettingsError as error:
        click.echo(f"warning: runs started from the UI will fail to load extracts: {error}", err=True)


@main.command()
@click.option("--warehouse", type=click.Path(dir_okay=False, path_type=Path), help="Published warehouse to serve (default: data/warehouse.duckdb).")
@click.option("--port", default=8088, show_default=True, help="Superset's port; Dagster's UI takes the next one.")
@click.option("--workers", default=2, show_default=True, help="Superset's web server processes.")
def serve(warehouse: Path | None, port: int, workers: int) -> None:
    """Provision Superset's dashboards and serve them on 127.0.0.1, with Dagster's UI beside them.

    Needs CCW_SUPERSET_SECRET_KEY and CCW_SUPERSET_ADMIN_PASSWORD. Re-running updates Superset's
    roles, datasets, charts and dashboards in place. Runs until interrupted.
    """
    from orchestration.lib.dashboards import SupersetError, SupersetSettings, serving

    settings = _configure(None, warehouse, require_key=False)
    # A service manager stops with SIGTERM: leave through the same cleanup as Ctrl-C, so that
    # gunicorn and Dagster's UI stop too.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        superset = SupersetSettings.from_env(settings.warehouse)
        with serving(superset, port, workers, say=click.echo) as url, _dagster_ui(port + 1):
            click.echo(f"dashboards on {url} (user admin), Dagster UI on http://127.0.0.1:{port + 1}; Ctrl-C stops both")
            while True:
                time.sleep(3600)
    except (SettingsError, SupersetError) as error:
        raise click.ClickException(str(error)) from error
    except KeyboardInterrupt:
        click.echo("stopped")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def _dagster_ui(port: int):
    from orchestration.lib.processes import stop_process_group

    _hand_hash_key_to_runs(Settings.from_env())
    dagster = str(Path(sys.executable).parent / "dagster")  # beside this Python, also outside `uv run`
    ui = subprocess.Popen([dagster, "dev", "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)], start_new_session=True)
    try:
        yield ui
    finally:
        stop_process_group(ui)


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("dbt_args", nargs=-1, type=click.UNPROCESSED)
def dbt(dbt_args: tuple[str, ...]) -> None:
    """Run dbt on the working warehouse with the scoring policy (e.g. `ccw dbt docs generate`)."""
    _configure(None, None, require_key=False)
    from orchestration.defs.transformation.project import DBT_PROJECT_DIR, policy_vars

    command = ["dbt", *dbt_args, "--vars", policy_vars]
    sys.exit(subprocess.call(command, cwd=DBT_PROJECT_DIR, env={**os.environ, "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR)}))


@main.command("import-connect")
@click.option("--ctr", "ctr", type=click.Path(exists=True, path_type=Path), help="Contact trace records: a file or a folder of .json, .jsonl or .gz files.")
@click.option("--agent-events", "agent_events", type=click.Path(exists=True, path_type=Path), help="Agent event stream: a file or a folder of .json, .jsonl or .gz files.")
@click.option("--out", "landing", type=click.Path(file_okay=False, path_type=Path), required=True, help="Landing folder whose telephony extracts are written.")
@click.option("--mapping", "mapping_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="YAML laid over the default status, agent and outcome mapping.")
def import_connect(ctr: Path | None, agent_events: Path | None, landing: Path, mapping_file: Path | None) -> None:
    """Turn Amazon Connect exports into the telephony extracts (calls, sessions, states).

    Days already written by an earlier import are rewritten with the merged content of both.
    """
    from ingestion.connect import ConnectImportError, import_exports, load_mapping

    load_dotenv(REPO_ROOT / ".env", override=False)
    try:
        summary = import_exports(
            landing,
            ctr=ctr,
            agent_events=agent_events,
            timezone=os.environ.get("CCW_TIMEZONE", "Asia/Shanghai"),
            mapping=load_mapping(mapping_file),
        )
    except ConnectImportError as error:
        raise click.ClickException(str(error)) from error
    for line in summary.report():
        click.echo(line)


@main.command()
@click.option("--month", required=True, help="The appraised month YYYY-MM.")
@click.option("--warehouse", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The published warehouse (read only).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True, help="Archive folder: DIR/YYYY-MM/vN/ and DIR/deliveries.json.")
@click.option("--send", is_flag=True, help="E-mail the month to HR (CCW_SMTP_*, CCW_HR_EMAILS) unless it was already sent.")
@click.option("--force", is_flag=True, help="With --send: send again, even if already sent or in doubt.")
def scorecards(month: str, warehouse: Path, out_dir: Path, send: bool, force: bool) -> None:
    """HR's monthly scorecards: a PDF per agent, a workbook and a CSV, archived and e-mailed once.

    Exits 0 when done (or nothing changed), 2 when the month did not pass the publication gate
    (nothing is produced), 1 on any other failure, a send that failed or may have failed included.
    """
    from orchestration.lib.policy import PolicyError
    from orchestration.lib.scorecards import MailConfigError, ScorecardsError, SmtpSettings, produce_month
    from orchestration.lib.scorecards.archive import ArchiveError
    from orchestration.lib.scorecards.report import print_month_result

    load_dotenv(REPO_ROOT / ".env", override=False)
    if force and not send:
        raise click.ClickException("--force only applies to --send")
    try:
        smtp = SmtpSettings.from_env() if send else None
        result = produce_month(_parse_month(month), warehouse, out_dir, smtp=smtp, force=force)
    except (ScorecardsError, MailConfigError, ArchiveError, PolicyError) as error:
        raise click.ClickException(str(error)) from error
    print_month_result(result)
    if result.blocked:
        sys.exit(BLOCKED)
    sys.exit(0 if result.delivery is None or result.delivery.ok else 1)


def _configure(landing: Path | None, warehouse: Path | None, *, require_key: bool = True) -> Settings:
    """Map the command's options onto the environment the definitions read, and check it."""
    load_dotenv(REPO_ROOT / ".env", override=False)
    if landing:
        os.environ["CCW_LANDING_DIR"] = str(landing.resolve())
    if warehouse:
        os.environ["CCW_WAREHOUSE"] = str(warehouse.resolve())
    try:
        settings = Settings.from_env()
        if require_key:
            key, note = hash_key_from_env_or_sample(settings)
            os.environ["CCW_PII_HASH_KEY"] = key
            if note:
                click.echo(note)
    except SettingsError as error:
        raise click.ClickException(str(error)) from error
    prepare_environment(settings)
    return settings


if __name__ == "__main__":
    main()
