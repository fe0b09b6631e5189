"""What `ccw scorecards` prints: the gate's verdict, the archived version and the delivery."""

from __future__ import annotations

import click

from orchestration.lib.scorecards.labels import grade_text, score_text
from orchestration.lib.scorecards.monthly import MonthResult


def print_month_result(result: MonthResult) -> None:
    month = f"{result.month:%Y-%m}"
    if result.blocked:
        click.echo(f"SCORECARDS BLOCKED: {month} did not pass the publication gate; nothing was produced or sent", err=True)
        for reason in result.verdict.reasons:
            click.echo(f"  - {reason}", err=True)
        return
    click.echo(f"{month} passed the publication gate (published by run {result.verdict.run_id})")
    if result.is_new_version:
        click.echo(f"archived version v{result.version} of {result.agents} agent(s): {result.folder}")
    else:
        click.echo(f"numbers unchanged since version v{result.version}: nothing produced ({result.folder})")
    if result.restates and result.is_new_version:
        click.echo(f"RESTATED: v{result.version} replaces v{result.restates}, which HR received; {len(result.changes)} agent(s) changed:")
        for change in result.changes:
            before, after = change.before or {}, change.after or {}
            click.echo(
                f"  {change.agent_id} {change.agent_name or ''} ({change.kind}): "
                f"total {score_text(before.get('total_score'))} -> {score_text(after.get('total_score'))}, "
                f"grade {grade_text(before.get('grade')) if before else '-'} -> {grade_text(after.get('grade')) if after else '-'}, "
                f"team rank {before.get('rank_in_team')} -> {after.get('rank_in_team')}, "
                f"centre rank {before.get('rank_in_centre')} -> {after.get('rank_in_centre')}"
            )
    delivery = result.delivery
    if delivery is None:
        click.echo("not sent (use --send to e-mail HR)")
        return
    what = f"v{delivery.version} ({delivery.kind})"
    if delivery.outcome == "sent":
        click.echo(f"delivery of {what}: {delivery.detail} (Message-ID {delivery.message_id})")
    elif delivery.outcome == "already_sent":
        click.echo(f"delivery of {what}: {delivery.detail}")
    else:
        click.echo(f"DELIVERY {delivery.outcome.upper().replace('_', ' ')} for {what}: {delivery.detail}", err=True)
    for attempt, error in enumerate(delivery.errors, start=1):
        click.echo(f"  attempt {attempt}: {error}", err=delivery.outcome != "sent")
    for recipient, reply in delivery.refused.items():
        click.echo(f"  refused by the server: {recipient} ({reply})", err=True)
