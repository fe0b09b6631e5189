"""What changed between the scorecards HR received and a new production of the same month."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from orchestration.lib.scorecards.data import comparable

HEADLINE = ("total_score", "grade", "rank_in_team", "rank_in_centre")
"""What the restatement e-mail shows, old and new, for every changed agent."""
NOT_NUMBERS = ("agent_name",)
"""Read beside the mart's columns; a corrected name alone is not a restatement."""


@dataclass(frozen=True)
class AgentChange:
    agent_id: str
    agent_name: str | None
    team: str
    kind: Literal["changed", "added", "removed"]
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    fields: tuple[str, ...]
    """The mart's columns whose value changed (all of them for an added or removed agent)."""


def compare(before_rows: Iterable[Mapping[str, Any]], after_rows: Iterable[Mapping[str, Any]]) -> list[AgentChange]:
    """Every agent whose scorecard row differs, by agent id; columns only one side has are ignored."""
    before = {row["agent_id"]: row for row in before_rows}
    after = {row["agent_id"]: row for row in after_rows}
    changes = []
    for agent_id in sorted(before.keys() | after.keys()):
        old, new = before.get(agent_id), after.get(agent_id)
        if old is None or new is None:
            present = new if old is None else old
            changes.append(AgentChange(
                agent_id, present.get("agent_name"), present["team"], "added" if old is None else "removed", old, new,
                tuple(_numbers(present)),
            ))
            continue
        fields = tuple(name for name in _numbers(new) if name in old and comparable(old[name]) != comparable(new[name]))
        if fields:
            changes.append(AgentChange(agent_id, new.get("agent_name"), new["team"], "changed", old, new, fields))
    return changes


def fingerprint(rows: Iterable[Mapping[str, Any]]) -> str:
    """sha256 of the rows' numbers as compared: the manifest's short proof of what was produced."""
    canonical = sorted(({name: comparable(row[name]) for name in _numbers(row)} for row in rows), key=lambda row: row["agent_id"])
    return hashlib.sha256(json.dumps(canonical, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _numbers(row: Mapping[str, Any]) -> list[str]:
    return [name for name in row if name not in NOT_NUMBERS]
