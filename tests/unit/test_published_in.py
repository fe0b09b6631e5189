"""`ccw` reports a run as published only if its publication step materialized the warehouse."""

import dagster as dg

from orchestration.cli import published_in
from orchestration.defs.publication.assets import published_warehouse as pipeline_publication


def _run(models_built: bool) -> dg.ExecuteInProcessResult:
    @dg.asset(output_required=False)
    def models():
        # Optional output left out: the step succeeds and everything downstream is skipped.
        if models_built:
            yield dg.Output(None)

    # The pipeline's publication asset, stood in for by one that needs no warehouse.
    @dg.asset(key=pipeline_publication.key, deps=[models])
    def published_warehouse() -> None:
        return None

    return dg.materialize([models, published_warehouse], raise_on_error=False)


def test_a_run_that_published_is_reported_published():
    result = _run(models_built=True)

    assert result.success and published_in(result)


def test_a_successful_run_whose_publication_was_skipped_is_not_reported_published():
    result = _run(models_built=False)

    assert result.success
    assert [event.step_key for event in result.get_step_skipped_events()] == ["published_warehouse"]
    assert not published_in(result)
