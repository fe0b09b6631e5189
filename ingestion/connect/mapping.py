"""The centre's configuration of the Connect mapping: `mapping.yml`, optionally overlaid."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ingestion.connect.errors import ConnectImportError
from ingestion.contract import CALLS, STATES

DEFAULT_MAPPING = Path(__file__).with_name("mapping.yml")
STATE_VALUES = STATES.column("state").values
OUTCOME_VALUES = CALLS.column("outcome").values

# Tables an overlay adds entries to; settings it replaces.
_TABLES = ("agent_statuses", "contact_states", "agent_ids", "outcome_values")
_SETTINGS = ("unmapped_status", "outcome_attribute", "unnamed_queue")
# Settings whose values are values of the contract.
_CONTRACT_VALUES = {
    "agent_statuses": STATE_VALUES,
    "contact_states": STATE_VALUES,
    "unmapped_status": STATE_VALUES,
    "outcome_values": OUTCOME_VALUES,
}


def name_key(name: str) -> str:
    return str(name).strip().casefold()


@dataclass(frozen=True)
class Activity:
    """What an agent is doing, as the states extract writes it."""

    state: str
    reason: str
    note: str | None = None
    """Something the import's report names, such as a status missing from the mapping."""


@dataclass(frozen=True)
class ConnectMapping:
    agent_statuses: dict[str, str | None]
    unmapped_status: str
    contact_states: dict[str, str]
    agent_ids: dict[str, str]
    outcome_attribute: str
    outcome_values: dict[str, str]
    unnamed_queue: str

    def status_activity(self, status: str | None) -> Activity | None:
        """The activity of an agent with no voice contact; None when no interval is written."""
        if not status:
            return None
        key = name_key(status)
        if key in self.agent_statuses:
            state = self.agent_statuses[key]
            note = None
        else:
            state = self.unmapped_status
            note = f"agent status {status!r} is not in the mapping (written as {state})"
        if state is None:
            return None
        return Activity(state, "" if state == "available" else status, note)

    def contact_state(self, state: str | None) -> str | None:
        return self.contact_states.get(name_key(state)) if state else None

    def agent_id(self, arn: str | None, username: str | None) -> str:
        resource_id = arn.rsplit("/", 1)[-1] if arn else None
        for key in (arn, resource_id, username):
            if key and name_key(key) in self.agent_ids:
                return self.agent_ids[name_key(key)]
        return username or resource_id or ""

    def attribute_outcome(self, attributes: dict | None) -> tuple[str | None, str | None]:
        """The outcome the configured contact attribute records, and a note when it is not one."""
        value = (attributes or {}).get(self.outcome_attribute)
        if value is None or not str(value).strip():
            return None, None
        key = name_key(value)
        if key in OUTCOME_VALUES:
            return key, None
        if key in self.outcome_values:
            return self.outcome_values[key], None
        return None, f"contact attribute {self.outcome_attribute}={value!r} is not an outcome (written as resolved)"


def load_mapping(overlay: Path | None = None) -> ConnectMapping:
    settings = _normalised(_read(DEFAULT_MAPPING), DEFAULT_MAPPING)
    if overlay is not None:
        for key, value in _normalised(_read(overlay), overlay).items():
            settings[key] = {**settings[key], **value} if key in _TABLES else value
    _check(settings, overlay or DEFAULT_MAPPING)
    settings["agent_ids"] = {name: agent_id for name, agent_id in settings["agent_ids"].items() if agent_id}
    return ConnectMapping(**settings)


def _read(path: Path) -> dict:
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConnectImportError(f"{path}: cannot read the mapping: {error}") from error
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise ConnectImportError(f"{path}: the mapping must be a YAML mapping of settings")
    return content


def _normalised(content: dict, path: Path) -> dict:
    """Names as they are matched (trimmed, any case); contract values lower-case; the rest as written."""
    unknown = sorted(map(str, set(content) - set(_TABLES) - set(_SETTINGS)))
    if unknown:
        raise ConnectImportError(f"{path}: unknown setting {', '.join(unknown)} (known: {', '.join(_TABLES + _SETTINGS)})")
    normalised = {}
    for key, value in content.items():
        if key not in _TABLES:
            normalised[key] = _value(key, value)
        elif isinstance(value or {}, dict):
            normalised[key] = {name_key(name): _value(key, target) for name, target in (value or {}).items()}
        else:
            raise ConnectImportError(f"{path}: {key} must map names to values")
    return normalised


def _value(setting: str, value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text.casefold() if setting in _CONTRACT_VALUES else text


def _check(settings: dict, path: Path) -> None:
    for setting, allowed in _CONTRACT_VALUES.items():
        value = settings[setting]
        for name, target in value.items() if isinstance(value, dict) else [(setting, value)]:
            # A status may map to nothing: no interval is written for it.
            if target is None and setting == "agent_statuses":
                continue
            if target not in allowed:
                raise ConnectImportError(f"{path}: {setting} {name!r} maps to {target!r}, not one of {', '.join(allowed)}")
    for setting in ("outcome_attribute", "unnamed_queue"):
        if not settings.get(setting):
            raise ConnectImportError(f"{path}: {setting} may not be empty")
