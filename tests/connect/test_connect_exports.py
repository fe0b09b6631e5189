"""Reading exports as Firehose writes them: JSON lines, JSON arrays, back-to-back objects, gzip."""

from __future__ import annotations

import gzip
import json
import shutil

import pytest
from recorded_exports import RECORDS, run_import

from ingestion.connect import ConnectImportError
from ingestion.connect.exports import export_files, read_export


def contact_ids(path):
    return [found.record["ContactId"] for found in read_export(path)]


def test_a_json_lines_file_gives_one_record_per_line():
    lines = (RECORDS / "ctr" / "contacts-1.jsonl").read_text().splitlines()

    assert contact_ids(RECORDS / "ctr" / "contacts-1.jsonl") == [json.loads(line)["ContactId"] for line in lines]


def test_a_json_array_gives_each_of_its_records():
    array = json.loads((RECORDS / "ctr" / "contacts-2.json").read_text())

    assert contact_ids(RECORDS / "ctr" / "contacts-2.json") == [record["ContactId"] for record in array]


def test_records_written_back_to_back_read_the_same_plain_or_gzipped(tmp_path):
    plain = RECORDS / "ctr" / "contacts-3.json"
    assert "}{" in plain.read_text()
    gzipped = tmp_path / "firehose-object"
    gzipped.write_bytes(gzip.compress(plain.read_bytes()))

    assert [f.record for f in read_export(gzipped)] == [f.record for f in read_export(plain)]
    assert len(contact_ids(plain)) == 3


def test_a_folder_is_read_whole_except_hidden_and_foreign_files(tmp_path):
    folder = tmp_path / "ctr"
    shutil.copytree(RECORDS / "ctr", folder / "2026" / "08" / "03")
    (folder / "2026" / "08" / "03" / "firehose-1-2026-08-03-01-00-00-5f1c").write_text((RECORDS / "ctr" / "contacts-1.jsonl").read_text())
    (folder / ".partial.json").write_text("{")
    (folder / "README.txt").write_text("exports of 3 August")

    readable, left_aside = export_files(folder)

    assert sorted(p.name for p in readable) == ["contacts-1.jsonl", "contacts-2.json", "contacts-3.json", "firehose-1-2026-08-03-01-00-00-5f1c"]
    assert [p.name for p in left_aside] == ["README.txt"]


def test_broken_json_stops_the_import_naming_the_file_and_line(tmp_path, landing):
    export = tmp_path / "contacts.jsonl"
    lines = (RECORDS / "ctr" / "contacts-1.jsonl").read_text().splitlines()
    export.write_text("\n".join([lines[0], lines[1][:-40], lines[2]]) + "\n")

    with pytest.raises(ConnectImportError, match=r"contacts\.jsonl: not JSON at line 2"):
        run_import(landing, ctr=export)
    assert not landing.exists()


def test_agent_events_given_as_contact_records_are_refused(landing):
    with pytest.raises(ConnectImportError, match=r"events-1\.jsonl record 1 \(line 1\): no ContactId: is it a contact trace record\?"):
        run_import(landing, ctr=RECORDS / "agent_events" / "events-1.jsonl")
    assert not landing.exists()


def test_a_timestamp_that_is_not_iso_8601_is_refused(tmp_path, landing):
    record = json.loads((RECORDS / "ctr" / "contacts-1.jsonl").read_text().splitlines()[0])
    record["DisconnectTimestamp"] = "08/03/2026 01:05:22"
    export = tmp_path / "contacts.json"
    export.write_text(json.dumps(record))

    with pytest.raises(ConnectImportError, match=r"DisconnectTimestamp '08/03/2026 01:05:22' is not an ISO 8601 timestamp"):
        run_import(landing, ctr=export)
