"""The expectations' keyword arguments read once equal GX's own, for every committed expectation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import pytest
from great_expectations.expectations.expectation import Expectation

from orchestration.lib import expectation_kwargs
from orchestration.lib.expectations import load_suite, suite_names

RUNTIME_CONFIGURATIONS = [
    None,
    {"result_format": {"result_format": "BASIC", "partial_unexpected_count": 5}},
    {"result_format": "SUMMARY", "catch_exceptions": False},
    {"result_format": {"result_format": "SUMMARY", "unexpected_index_column_names": ["_file_name", "_line_number"]}},
]


@contextmanager
def gx_own_methods() -> Iterator[None]:
    installed = {name: getattr(Expectation, name) for name in expectation_kwargs.GX_METHODS}
    for name, method in expectation_kwargs.GX_METHODS.items():
        setattr(Expectation, name, method)
    try:
        yield
    finally:
        for name, method in installed.items():
            setattr(Expectation, name, method)


def kwargs_of(expectation: Expectation) -> list[dict]:
    return [
        expectation._get_domain_kwargs(),
        expectation._get_success_kwargs(),
        *(expectation._get_runtime_kwargs(runtime_configuration=configuration) for configuration in RUNTIME_CONFIGURATIONS),
    ]


def test_the_gate_reads_each_configuration_once():
    assert Expectation._get_runtime_kwargs is expectation_kwargs.runtime_kwargs


@pytest.mark.parametrize("suite_name", suite_names())
def test_every_committed_expectation_gets_the_arguments_gx_gives(suite_name):
    # As the validator sees them: built anew from each expectation's configuration.
    expectations = [expectation.configuration.to_domain_obj() for expectation in load_suite(suite_name).expectations]
    with gx_own_methods():
        expected = [kwargs_of(expectation) for expectation in expectations]
    assert [kwargs_of(expectation) for expectation in expectations] == expected
    assert len(expected) == len(load_suite(suite_name).expectations) > 0


def test_a_validation_gives_the_same_result_either_way():
    """A suite with failing expectations, on a frame, validated with GX's methods and with these."""
    import great_expectations as gx

    frame = pd.DataFrame({"duration": [10, -5, 30, 20], "direction": ["in", "out", "sideways", "in"], "agent": ["A1", None, "A2", "A3"]})
    suite = gx.ExpectationSuite(
        name="kwargs",
        expectations=[
            gx.expectations.ExpectColumnValuesToBeBetween(column="duration", min_value=0, max_value=60, mostly=0.9),
            gx.expectations.ExpectColumnValuesToBeInSet(column="direction", value_set=["in", "out"]),
            gx.expectations.ExpectColumnValuesToNotBeNull(column="agent"),
            gx.expectations.ExpectColumnValuesToBeInTypeList(column="direction", type_list=["str"]),
        ],
    )
    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas("frame").add_dataframe_asset("frame")
        .add_batch_definition_whole_dataframe("whole").get_batch(batch_parameters={"dataframe": frame})
    )

    def validated() -> list[tuple]:
        result = batch.validate(suite, result_format={"result_format": "SUMMARY", "partial_unexpected_count": 5})
        return [(check.success, check.result, check.expectation_config.kwargs) for check in result.results]

    with gx_own_methods():
        expected = validated()
    assert validated() == expected
    assert sorted(success for success, *_ in expected) == [False, False, False, True]
