"""The `policy()` macro: the only way model SQL reads a number of the scoring policy."""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.lib.policy import load_policy


def compiled_sql(finished) -> str:
    return json.loads(finished.stdout)["compiled"]


def compile_inline(run_dbt, warehouse: Path, sql: str, **options):
    return run_dbt(["compile", "--quiet", "--output", "json", "--inline", sql], warehouse, **options)


def test_policy_macro_renders_the_number_at_a_dotted_path(raw_warehouse: Path, run_dbt) -> None:
    policy = load_policy()

    finished = compile_inline(
        run_dbt, raw_warehouse, "select {{ policy('fcr.repeat_window_hours') }} as repeat_window_hours"
    )

    assert compiled_sql(finished) == f"select {policy.get('fcr.repeat_window_hours')} as repeat_window_hours"


def test_policy_macro_reads_the_version_label_of_the_loaded_file(raw_warehouse: Path, run_dbt) -> None:
    policy = load_policy()

    finished = compile_inline(run_dbt, raw_warehouse, "select '{{ policy('version_label') }}' as policy_version")

    assert compiled_sql(finished) == f"select '{policy.version_label}' as policy_version"


def test_policy_macro_returns_mappings_for_jinja_loops(raw_warehouse: Path, run_dbt) -> None:
    limits = load_policy().get("complaints.time_limit_hours")
    loop = (
        "{% for channel, hours in policy('complaints.time_limit_hours').items() | sort %}"
        "{{ channel }}={{ hours }};{% endfor %}"
    )

    finished = compile_inline(run_dbt, raw_warehouse, loop)

    assert compiled_sql(finished) == "".join(f"{channel}={hours};" for channel, hours in sorted(limits.items()))


def test_policy_macro_stops_compilation_naming_a_missing_key(raw_warehouse: Path, run_dbt) -> None:
    finished = compile_inline(
        run_dbt, raw_warehouse, "select {{ policy('fcr.repeat_window_days') }}", check=False
    )

    assert finished.returncode != 0
    assert "The scoring policy has no key 'fcr.repeat_window_days'" in finished.stdout


def test_policy_macro_stops_compilation_when_the_policy_var_is_not_passed(raw_warehouse: Path, run_dbt) -> None:
    finished = compile_inline(
        run_dbt, raw_warehouse, "select {{ policy('fcr.repeat_window_hours') }}", with_policy=False, check=False
    )

    assert finished.returncode != 0
    assert "The dbt var 'policy' is missing" in finished.stdout
