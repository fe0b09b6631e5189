"""The dbt models, tests and docs as Dagster assets and checks."""

import os
import shutil
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, dbt_assets

from ingestion.schema import create_schemas
from orchestration.defs.transformation.dbt_command import DbtCommand
from orchestration.defs.transformation.partitions import backfill_months, monthly_partitions
from orchestration.defs.transformation.project import dbt_project, policy, policy_vars, transform_version
from orchestration.defs.transformation.rebuild import plan_backfill, plan_rebuild, record_build
from orchestration.defs.transformation.test_results import dbt_test_outcomes
from orchestration.lib.memory import release_freed_memory
from orchestration.lib.quality import record
from orchestration.lib.settings import Settings
from orchestration.lib.validated_months import forget_recomputed_months
from orchestration.lib.warehouse import WAREHOUSE_POOL, WarehouseResource


class CcwTranslator(DagsterDbtTranslator):
    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        """Group models by layer: staging, intermediate, marts."""
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "dbt"


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=CcwTranslator(settings=DagsterDbtTranslatorSettings(enable_source_tests_as_checks=True)),
    pool=WAREHOUSE_POOL,
    partitions_def=monthly_partitions(Settings.from_env()),
    backfill_policy=dg.BackfillPolicy.single_run(),
)
def ccw_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCommand, warehouse: WarehouseResource):
    # The committed profile reads the file to build (and DuckDB's memory settings) from the environment.
    os.environ.update(warehouse.dbt_environment())
    backfill = backfill_months(context)
    with warehouse.connect() as con:
        if backfill:
            plan = plan_backfill(con, transform_version, *backfill)
        else:
            plan = plan_rebuild(con, transform_version, policy.get("fcr.repeat_window_hours"))
        # Forgotten before dbt writes: a build that fails halfway leaves its months to be validated.
        create_schemas(con)
        forget_recomputed_months(con, plan.recompute_from, plan.recompute_until)
    context.log.info(plan.describe())
    dbt_args = ["build", "--vars", policy_vars]
    if not plan.full_refresh:
        # Unit tests check the models' logic on fixed inputs, so only a new transform version can
        # change their verdict, and its first build is a full one that ran them and passed.
        dbt_args += ["--exclude", "resource_type:unit_test"]
    # Both bounds are always set (empty for a full build): a bound left by an earlier build cannot leak in.
    os.environ.update(plan.dbt_environment())
    # dbt's DuckDB fills its memory limit beside this process: what this one freed goes back first.
    release_freed_memory()
    invocation = dbt.cli(dbt_args + (["--full-refresh"] if plan.full_refresh else []), context=context, raise_on_error=False)
    yield from invocation.stream()
    outcomes = dbt_test_outcomes(invocation.get_artifact("run_results.json"), invocation.manifest)
    with warehouse.connect() as con:
        record(con, context.run.run_id, outcomes)
        if invocation.is_successful():
            record_build(con, context.run.run_id, transform_version, plan)
        else:
            # The run stops here: the data-quality dashboard must still see why.
            warehouse.publish_quality(con)
    # Each invocation writes its own target folder; what it holds is recorded now.
    shutil.rmtree(invocation.target_path, ignore_errors=True)
    if not invocation.is_successful():
        failed = [o.describe() for o in outcomes if o.blocks]
        raise dg.Failure(
            f"dbt build failed: {len(failed)} blocking test(s) failed" if failed else "dbt build failed",
            metadata={"failed_tests": dg.MetadataValue.md("\n".join(f"- {line}" for line in failed[:50]) or "see dbt output")},
        )

