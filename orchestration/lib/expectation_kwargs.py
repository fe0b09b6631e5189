"""Great Expectations' keyword arguments of an expectation, read from its configuration once.

GX asks every expectation for its domain, success and runtime arguments several times a
validation, and rebuilds the expectation's whole configuration (a pydantic dump) for each single
argument it looks up: about a tenth of the gate's time on the day's rows (0.7 s of 5.9 s for the
suites of a daily run). The methods below return the same dictionaries from one configuration.
`tests/unit/test_expectation_kwargs.py` checks them against GX's own for every committed expectation.
"""

from __future__ import annotations

from typing import Any

from great_expectations.expectations.expectation import Expectation, parse_result_format

GX_METHODS = {
    name: getattr(Expectation, name) for name in ("_get_domain_kwargs", "_get_success_kwargs", "_get_runtime_kwargs")
}
"""GX's own methods, which `install` replaces."""


def install() -> None:
    Expectation._get_domain_kwargs = domain_kwargs
    Expectation._get_success_kwargs = success_kwargs
    Expectation._get_runtime_kwargs = runtime_kwargs


def domain_kwargs(expectation: Expectation) -> dict[str, Any]:
    return _values(expectation, expectation.configuration.kwargs, expectation.domain_keys)


def success_kwargs(expectation: Expectation) -> dict[str, Any]:
    return _success(expectation, expectation.configuration.kwargs)


def runtime_kwargs(expectation: Expectation, runtime_configuration: dict | None = None) -> dict[str, Any]:
    runtime_configuration = runtime_configuration or {}
    kwargs = expectation.configuration.kwargs
    configured = _values(expectation, kwargs, expectation.runtime_keys)
    runtime = {key: runtime_configuration.get(key, value) for key, value in configured.items()}
    runtime.update(_success(expectation, kwargs))
    runtime["result_format"] = parse_result_format(runtime["result_format"])
    return runtime


def _success(expectation: Expectation, kwargs: dict[str, Any]) -> dict[str, Any]:
    success = _values(expectation, kwargs, expectation.success_keys)
    success.update(_values(expectation, kwargs, expectation.domain_keys))
    return success


def _values(expectation: Expectation, kwargs: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: kwargs.get(key, expectation._get_default_value(key)) for key in keys}
