"""The e-mails HR receives: the month's scorecards, or a restatement saying what changed for whom."""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any

from orchestration.lib.scorecards.archive import PDF_FOLDER
from orchestration.lib.scorecards.labels import (
    GRADES,
    bilingual,
    grade_text,
    score_text,
    split_list,
)

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def compose(
    manifest: Mapping[str, Any],
    rows: Sequence[Mapping[str, Any]],
    folder: Path,
    sender: str,
    recipients: Sequence[str],
    message_id: str,
) -> EmailMessage:
    """The message for an archived version: the workbook and the zipped PDFs attached."""
    month, version = manifest["month"], manifest["version"]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = message_id
    if manifest.get("restates"):
        message["Subject"] = f"[ccw] 更正 Restated scorecards {month} (v{version} replaces v{manifest['restates']})"
        message.set_content(_restatement_text(manifest))
    else:
        message["Subject"] = f"[ccw] 月度绩效考核 Monthly scorecards {month}"
        message.set_content(_scorecards_text(manifest, rows))
    stem = manifest["file_stem"]
    workbook = folder / f"{stem}.xlsx"
    message.add_attachment(workbook.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1], filename=workbook.name)
    message.add_attachment(_zip_of(folder / PDF_FOLDER), maintype="application", subtype="zip", filename=f"{stem}_pdf.zip")
    return message


def _scorecards_text(manifest: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> str:
    grades = Counter(row["grade"] for row in rows)
    flagged = sum(1 for row in rows if split_list(row["review_flags"]))
    lines = [
        f"{manifest['month']} 月度绩效考核 — monthly scorecards",
        "",
        f"考核人数 Agents appraised: {len(rows)}",
        *(f"  {bilingual(GRADES[grade])}: {grades.get(grade, 0)}" for grade in GRADES),
        f"  {grade_text(None)}: {grades.get(None, 0)}",
        f"需复核 Flagged for review: {flagged}",
        "",
        "附件 Attached: 全体汇总表 the workbook of all agents (a sheet per team), 个人考核表 every agent's PDF (zip).",
        *_footer(manifest),
    ]
    return "\n".join(lines) + "\n"


def _restatement_text(manifest: Mapping[str, Any]) -> str:
    changes = manifest.get("changes", [])
    lines = [
        f"{manifest['month']} 考核结果更正 — restated scorecards",
        "",
        (
            f"The numbers of {manifest['month']} changed after version {manifest['restates']} was delivered"
            f" ({manifest.get('restated_delivered_at') or 'delivery unconfirmed'})."
        ),
        f"版本 {manifest['version']} 取代版本 {manifest['restates']}。以下 {len(changes)} 名坐席的结果有变化 — {len(changes)} agent(s) changed:",
        "",
    ]
    for change in changes:
        before, after = change.get("before") or {}, change.get("after") or {}
        kind = "" if change["kind"] == "changed" else f" [{change['kind']}]"
        lines.append(
            f"{change['agent_id']} {change.get('agent_name') or ''} ({change['team']}){kind}: "
            f"总分 Total {_pair(_score(before), _score(after))}; "
            f"等级 Grade {_pair(_grade(before), _grade(after))}; "
            f"组内排名 Team rank {_pair(_rank(before, 'rank_in_team'), _rank(after, 'rank_in_team'))}; "
            f"中心排名 Centre rank {_pair(_rank(before, 'rank_in_centre'), _rank(after, 'rank_in_centre'))}"
        )
    lines += [
        "",
        "附件 Attached: 更正后的汇总表 the restated workbook (sheet 更正 Changes lists every changed column), 更正后的个人考核表 the restated PDFs (zip).",
        *_footer(manifest),
    ]
    return "\n".join(lines) + "\n"


def _footer(manifest: Mapping[str, Any]) -> list[str]:
    return [
        "",
        f"版本 Version: v{manifest['version']} · 政策版本 Policy version: {manifest['policy_version']}",
        f"发布运行 Publication run: {manifest['publication_run_id']} · 生成 Generated: {manifest['generated_at']}",
        f"存档 Archive: {manifest['archive_folder']}",
    ]


def _pair(before: str, after: str) -> str:
    return f"{before} → {after}"


def _score(row: Mapping[str, Any]) -> str:
    return score_text(row["total_score"]) if row else "—"


def _grade(row: Mapping[str, Any]) -> str:
    return grade_text(row.get("grade")) if row else "—"


def _rank(row: Mapping[str, Any], field: str) -> str:
    return "—" if not row or row.get(field) is None else str(row[field])


def _zip_of(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, arcname=path.name)
    return buffer.getvalue()
