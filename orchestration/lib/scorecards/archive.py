"""The archive of every production: `DIR/YYYY-MM/vN/`, one folder per version of a month's numbers.

A version folder is written whole under a hidden name and renamed into place, so a `vN` folder is
always complete; it is never rewritten afterwards except for the delivery status mirrored into its
manifest. Its manifest lists every file with its sha256, which is checked again before sending.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from orchestration.lib.durability import fsync, replace_durably

MANIFEST = "manifest.json"
ROWS_FILE = "scorecards.json"
"""The rows exactly as read from the marts: what a later restatement is compared with."""
PDF_FOLDER = "pdf"
_VERSION_FOLDER = re.compile(r"^v(\d+)$")


class ArchiveError(RuntimeError):
    pass


def month_folder(out_dir: Path, month: date) -> Path:
    return out_dir / f"{month:%Y-%m}"


def version_folder(out_dir: Path, month: date, version: int) -> Path:
    return month_folder(out_dir, month) / f"v{version}"


def versions_on_disk(out_dir: Path, month: date) -> list[int]:
    folder = month_folder(out_dir, month)
    if not folder.is_dir():
        return []
    return sorted(int(found.group(1)) for path in folder.iterdir() if (found := _VERSION_FOLDER.match(path.name)) and path.is_dir())


def write_version(folder: Path, produce: Callable[[Path], None], manifest: Mapping[str, Any]) -> Path:
    """Produce the files into a hidden folder, list them in the manifest, then move it into place."""
    if folder.exists():
        raise ArchiveError(f"{folder} already exists: an archived version is never overwritten")
    partial = folder.with_name(f".{folder.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    produce(partial)
    files = sorted(path for path in partial.rglob("*") if path.is_file())
    listed = {
        **manifest,
        "files": [{"path": path.relative_to(partial).as_posix(), "bytes": path.stat().st_size, "sha256": sha256_of(path)} for path in files],
    }
    write_json_atomically(partial / MANIFEST, listed)
    for path in files:
        fsync(path)
    os.rename(partial, folder)
    fsync(folder.parent)
    return folder


def read_manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def read_rows(folder: Path) -> list[dict[str, Any]]:
    return json.loads((folder / ROWS_FILE).read_text(encoding="utf-8"))


def write_rows(folder: Path, rows: list[Mapping[str, Any]]) -> None:
    write_json_atomically(folder / ROWS_FILE, rows)


def record_delivery(folder: Path, delivery: Mapping[str, Any]) -> None:
    """Mirror the ledger's delivery status into the version's manifest (the ledger is the reference)."""
    manifest = read_manifest(folder)
    if manifest.get("delivery") != delivery:
        manifest["delivery"] = dict(delivery)
        write_json_atomically(folder / MANIFEST, manifest)


def verify(folder: Path) -> list[str]:
    """Files of the version that are missing or changed since it was archived."""
    problems = []
    for listed in read_manifest(folder)["files"]:
        path = folder / listed["path"]
        if not path.is_file():
            problems.append(f"{listed['path']} is missing")
        elif sha256_of(path) != listed["sha256"]:
            problems.append(f"{listed['path']} changed since it was archived (sha256 differs)")
    return problems


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_json_atomically(path: Path, content: Any) -> None:
    """Write beside, flush to disk, then rename over: a reader sees the old file or the new one, whole."""
    staged = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    staged.write_text(json.dumps(content, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    replace_durably(staged, path)
