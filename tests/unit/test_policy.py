"""The scoring policy loader: every rule it enforces, and the label it stamps on results."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from orchestration.lib.policy import (
    COMPLAINT_CHANNELS,
    DEFAULT_POLICY_FILE,
    POLICY_FILE_ENV,
    PolicyError,
    dbt_vars,
    load_policy,
)

REPOSITORY_POLICY = Path(__file__).resolve().parents[2] / "policy" / "scoring_policy.yml"


def committed_settings() -> dict:
    return yaml.safe_load(REPOSITORY_POLICY.read_text(encoding="utf-8"))


def write_policy(tmp_path: Path, change: Callable[[dict], None]) -> Path:
    """A copy of the committed policy with one change applied."""
    settings = committed_settings()
    change(settings)
    path = tmp_path / "scoring_policy.yml"
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def policy_error(tmp_path: Path, change: Callable[[dict], None]) -> str:
    with pytest.raises(PolicyError) as raised:
        load_policy(write_policy(tmp_path, change))
    return str(raised.value)


def results(settings: dict) -> dict:
    return settings["scoring"]["categories"]["results"]


def test_the_committed_policy_loads_with_its_declared_version() -> None:
    policy = load_policy(REPOSITORY_POLICY)

    assert policy.version == committed_settings()["version"]
    assert policy.settings["fcr"]["repeat_window_hours"] == committed_settings()["fcr"]["repeat_window_hours"]


def test_the_default_policy_file_is_the_repository_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(POLICY_FILE_ENV, raising=False)

    assert DEFAULT_POLICY_FILE == REPOSITORY_POLICY
    assert load_policy().source == REPOSITORY_POLICY


def test_the_policy_file_can_be_chosen_with_an_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = write_policy(tmp_path, lambda settings: settings.update(version="2027.0"))
    monkeypatch.setenv(POLICY_FILE_ENV, str(other))

    policy = load_policy()

    assert policy.source == other
    assert policy.version == "2027.0"


def test_the_content_hash_is_the_start_of_the_sha256_of_the_file_bytes() -> None:
    policy = load_policy(REPOSITORY_POLICY)

    assert policy.content_hash == hashlib.sha256(REPOSITORY_POLICY.read_bytes()).hexdigest()[:12]
    assert policy.version_label == f"{policy.version}+{policy.content_hash}"


def test_the_label_changes_when_the_file_changes_even_if_the_version_does_not(tmp_path: Path) -> None:
    path = tmp_path / "scoring_policy.yml"
    original = REPOSITORY_POLICY.read_text(encoding="utf-8")
    path.write_text(original, encoding="utf-8")
    before = load_policy(path)

    path.write_text(original.replace("repeat_window_hours: 168", "repeat_window_hours: 72"), encoding="utf-8")
    after = load_policy(path)

    assert after.version == before.version
    assert after.settings["fcr"]["repeat_window_hours"] == 72
    assert after.version_label != before.version_label


def test_the_label_is_the_same_for_the_same_file_content(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yml"
    copy.write_bytes(REPOSITORY_POLICY.read_bytes())

    assert load_policy(copy).version_label == load_policy(REPOSITORY_POLICY).version_label


def test_a_missing_section_is_named(tmp_path: Path) -> None:
    message = policy_error(tmp_path, lambda settings: settings.pop("fcr"))

    assert "fcr.repeat_window_hours: missing" in message


def test_a_missing_number_is_named(tmp_path: Path) -> None:
    message = policy_error(tmp_path, lambda settings: settings["queue"].pop("service_level_seconds"))

    assert "queue.service_level_seconds: missing" in message


def test_a_number_written_as_text_is_rejected(tmp_path: Path) -> None:
    message = policy_error(tmp_path, lambda settings: settings["fcr"].update(repeat_window_hours="168h"))

    assert "fcr.repeat_window_hours: must be a number" in message


def test_a_boolean_is_not_accepted_as_a_number(tmp_path: Path) -> None:
    message = policy_error(tmp_path, lambda settings: results(settings)["components"]["fcr_rate"].update(weight=True))

    assert "scoring.categories.results.components.fcr_rate.weight: must be a number" in message


def test_the_version_must_be_quoted_text(tmp_path: Path) -> None:
    message = policy_error(tmp_path, lambda settings: settings.update(version=2026.1))

    assert "version: must be a quoted, non-empty string" in message


def test_component_weights_must_add_up_to_their_category_weight(tmp_path: Path) -> None:
    message = policy_error(tmp_path, lambda settings: results(settings)["components"]["qa_score"].update(weight=10))

    assert "scoring.categories.results.components: weights add up to 55, not the category weight 60" in message


def test_category_weights_must_add_up_to_100(tmp_path: Path) -> None:
    def heavier_ability(settings: dict) -> None:
        ability = settings["scoring"]["categories"]["ability"]
        ability["weight"] = 40
        for component in ability["components"].values():
            component["weight"] = 10

    message = policy_error(tmp_path, heavier_ability)

    assert "scoring.categories: category weights add up to 110, not 100" in message


def test_a_missing_score_component_is_named(tmp_path: Path) -> None:
    message = policy_error(tmp_path, lambda settings: results(settings)["components"].pop("aht_seconds"))

    assert "scoring.categories.results.components.aht_seconds: missing" in message


def test_a_component_whose_floor_equals_its_target_is_rejected(tmp_path: Path) -> None:
    message = policy_error(
        tmp_path, lambda settings: results(settings)["components"]["aht_seconds"].update(floor=300, target=300)
    )

    assert "scoring.categories.results.components.aht_seconds: floor and target are both 300" in message


def test_a_floor_above_the_target_is_allowed_for_lower_is_better_components() -> None:
    aht = load_policy(REPOSITORY_POLICY).get("scoring.categories.results.components.aht_seconds")

    assert aht["floor"] > aht["target"]


def test_grade_bands_must_be_strictly_ordered_from_excellent_down(tmp_path: Path) -> None:
    message = policy_error(tmp_path, lambda settings: settings["scoring"]["grades"].update(good=90))

    assert "scoring.grades: excellent (90) must be greater than good (90)" in message


def test_a_pass_band_above_the_good_band_is_rejected(tmp_path: Path) -> None:
    message = policy_error(tmp_path, lambda settings: settings["scoring"]["grades"].update(**{"pass": 85}))

    assert "scoring.grades: good (80) must be greater than pass (85)" in message


def test_a_rate_written_as_a_percentage_is_rejected(tmp_path: Path) -> None:
    message = policy_error(tmp_path, lambda settings: settings["queue"].update(service_level_target=80))

    assert "queue.service_level_target: is a rate: must be within [0, 1] (is 80)" in message


def test_a_negative_rate_is_rejected(tmp_path: Path) -> None:
    message = policy_error(tmp_path, lambda settings: settings["publication"].update(quarantine_limit_rate=-0.02))

    assert "publication.quarantine_limit_rate: is a rate: must be within [0, 1]" in message


def test_the_floor_and_target_of_a_rate_component_must_be_rates(tmp_path: Path) -> None:
    message = policy_error(tmp_path, lambda settings: results(settings)["components"]["csat_rate"].update(floor=60))

    assert "scoring.categories.results.components.csat_rate.floor: is a rate: must be within [0, 1]" in message


@pytest.mark.parametrize(
    "section, key",
    [("fcr", "repeat_window_hours"), ("acd", "busy_limit_minutes"), ("attendance", "absence_threshold_minutes")],
)
@pytest.mark.parametrize("value", [0, -1])
def test_windows_and_limits_must_be_positive(tmp_path: Path, section: str, key: str, value: int) -> None:
    message = policy_error(tmp_path, lambda settings: settings[section].update({key: value}))

    assert f"{section}.{key}: must be greater than 0" in message


@pytest.mark.parametrize("channel", COMPLAINT_CHANNELS)
def test_every_complaint_channel_needs_a_time_limit(tmp_path: Path, channel: str) -> None:
    message = policy_error(tmp_path, lambda settings: settings["complaints"]["time_limit_hours"].pop(channel))

    assert f"complaints.time_limit_hours.{channel}: missing" in message


def test_the_fatal_error_flag_must_be_true_or_false(tmp_path: Path) -> None:
    message = policy_error(tmp_path, lambda settings: settings["scoring"]["review_flags"].update(flag_fatal_errors="yes"))

    assert "scoring.review_flags.flag_fatal_errors: must be true or false" in message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    def two_mistakes(settings: dict) -> None:
        settings["fcr"]["repeat_window_hours"] = 0
        settings["queue"]["service_level_target"] = 80

    message = policy_error(tmp_path, two_mistakes)

    assert "fcr.repeat_window_hours" in message
    assert "queue.service_level_target" in message


def test_the_error_names_the_file(tmp_path: Path) -> None:
    path = write_policy(tmp_path, lambda settings: settings.pop("acd"))

    with pytest.raises(PolicyError, match=str(path)):
        load_policy(path)


def test_a_missing_file_is_a_policy_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="cannot read the scoring policy"):
        load_policy(tmp_path / "absent.yml")


def test_a_file_that_is_not_yaml_is_a_policy_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text("fcr: [unclosed", encoding="utf-8")

    with pytest.raises(PolicyError, match="not valid YAML"):
        load_policy(path)


def test_a_file_that_is_not_a_mapping_is_a_policy_error(tmp_path: Path) -> None:
    path = tmp_path / "list.yml"
    path.write_text("- 168\n", encoding="utf-8")

    with pytest.raises(PolicyError, match="must be a mapping of sections"):
        load_policy(path)


def test_a_loaded_policy_cannot_be_changed() -> None:
    policy = load_policy(REPOSITORY_POLICY)

    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.version = "tampered"  # type: ignore[misc]
    with pytest.raises(TypeError):
        policy.settings["fcr"]["repeat_window_hours"] = 1  # type: ignore[index]


def test_a_value_is_read_by_dotted_path_like_the_dbt_macro_does() -> None:
    policy = load_policy(REPOSITORY_POLICY)

    assert policy.get("complaints.time_limit_hours.online") == committed_settings()["complaints"]["time_limit_hours"]["online"]
    with pytest.raises(PolicyError, match="no key 'complaints.time_limit_hours.fax'"):
        policy.get("complaints.time_limit_hours.fax")


def test_dbt_vars_carry_the_whole_policy_and_its_label_as_one_json_var() -> None:
    policy = load_policy(REPOSITORY_POLICY)

    variables = json.loads(json.dumps(dbt_vars(policy)))

    assert set(variables) == {"policy"}
    assert variables["policy"] == {**committed_settings(), "version_label": policy.version_label}
