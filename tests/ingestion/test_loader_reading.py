"""Reading delivered files: encodings, line endings, headers, broken CSV, and exact line numbers."""

from __future__ import annotations

import json

import pytest

from ingestion.contract import CALLS

CALLS_COLUMNS = [c.name for c in CALLS.columns]


def lines(*rows: str, newline: str = "\n", final_newline: bool = True) -> str:
    return newline.join(rows) + (newline if final_newline else "")


def test_a_utf8_file_loads_every_row_with_its_line_number(landing, warehouse) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}, {"call_id": "c2"}])

    result = warehouse.load("calls")

    assert [(r["call_id"], r["_line_number"]) for r in warehouse.raw("calls")] == [("c1", 2), ("c2", 3)]
    assert result.files[0].status == "loaded"
    assert warehouse.load_log("calls")["calls_2026-08-01.csv"]["encoding"] == "utf-8"


def test_a_byte_order_mark_does_not_stick_to_the_first_column_name(landing, warehouse) -> None:
    landing.write_bytes(
        "calls_2026-08-01.csv", b"\xef\xbb\xbf" + lines(landing.header("calls"), landing.line("calls")).encode()
    )

    warehouse.load("calls")

    assert [r["call_id"] for r in warehouse.raw("calls")] == ["c1"]
    assert warehouse.load_log("calls")["calls_2026-08-01.csv"]["encoding"] == "utf-8-sig"


def test_a_gb18030_roster_keeps_its_chinese_names(landing, warehouse) -> None:
    landing.write(
        "agents_2026-08-01.csv",
        [{"agent_id": "A001", "name": "张伟", "team": "账单一组"}, {"agent_id": "A002", "name": "欧阳娜娜"}],
        encoding="gb18030",
    )

    warehouse.load("agents")

    assert [(r["name"], r["team"]) for r in warehouse.raw("agents")] == [
        ("张伟", "账单一组"),
        ("欧阳娜娜", "billing-1"),
    ]
    assert warehouse.load_log("agents")["agents_2026-08-01.csv"]["encoding"] == "gb18030"


def test_crlf_line_endings_leave_no_carriage_return_in_the_last_column(landing, warehouse) -> None:
    landing.write(
        "calls_2026-08-01.csv", [{"call_id": "c1"}, {"call_id": "c2", "outcome": "abandoned"}], newline="\r\n"
    )

    warehouse.load("calls")

    assert [(r["outcome"], r["_line_number"]) for r in warehouse.raw("calls")] == [("resolved", 2), ("abandoned", 3)]


def test_undecodable_bytes_reject_the_file_with_a_reason_naming_their_line(landing, warehouse) -> None:
    text = lines(landing.header("calls"), landing.line("calls"), landing.line("calls", call_id="c2"))
    landing.write_bytes("calls_2026-08-01.csv", (text + "c3,").encode() + b"\xff\n")

    result = warehouse.load("calls")

    log = warehouse.load_log("calls")["calls_2026-08-01.csv"]
    assert (log["status"], log["rows_read"], log["rows_quarantined"]) == ("rejected", 3, 3)
    assert "undecodable" in log["reason"] and "line 4" in log["reason"]
    assert [q["line_number"] for q in warehouse.quarantine("calls")] == [2, 3, 4]
    assert warehouse.raw("calls") == []
    assert result.files[0].status == "rejected"


def test_a_corrupt_byte_in_a_gb18030_file_is_reported_on_its_own_line(landing, warehouse) -> None:
    rows = lines(landing.header("agents"), landing.line("agents", name="张伟"), landing.line("agents", agent_id="A002"))
    landing.write_bytes("agents_2026-08-01.csv", (rows + "A003,李").encode("gb18030") + b"\xff\n")

    warehouse.load("agents")

    reason = warehouse.load_log("agents")["agents_2026-08-01.csv"]["reason"]
    assert "line 4" in reason, reason


def test_header_names_match_in_any_case_and_any_order(landing, warehouse) -> None:
    columns = list(reversed(CALLS_COLUMNS))
    text = lines(
        ",".join(name.upper() if i % 2 else f" {name.title()} " for i, name in enumerate(columns)),
        ",".join(landing.line("calls").split(",")[::-1]),
    )
    landing.write_text("calls_2026-08-01.csv", text)

    warehouse.load("calls")

    [row] = warehouse.raw("calls")
    assert (row["call_id"], row["queue"], row["talk_seconds"], row["outcome"]) == ("c1", "billing", 280, "resolved")


def test_unknown_extra_columns_are_kept_as_json_in_extra(landing, warehouse) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1", "Site": "武汉", "ivr_path": "1>3"}, {"call_id": "c2"}])

    warehouse.load("calls")

    extras = [json.loads(r["_extra"]) for r in warehouse.raw("calls")]
    assert extras == [{"site": "武汉", "ivr_path": "1>3"}, {"site": "", "ivr_path": ""}]


def test_extra_columns_named_with_quotes_are_kept_too(landing, warehouse) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1", "agent's note": "call back", 'the "tag"': "vip"}])

    warehouse.load("calls")

    [row] = warehouse.raw("calls")
    assert json.loads(row["_extra"]) == {"agent's note": "call back", 'the "tag"': "vip"}


def test_files_without_extra_columns_store_no_extra(landing, warehouse) -> None:
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}])

    warehouse.load("calls")

    assert [r["_extra"] for r in warehouse.raw("calls")] == [None]


def test_optional_columns_may_be_missing_from_the_file(landing, warehouse) -> None:
    optional = {"parent_call_id", "customer_number", "agent_id", "answered_at"}
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}], columns=[c for c in CALLS_COLUMNS if c not in optional])

    warehouse.load("calls")

    [row] = warehouse.raw("calls")
    assert (row["call_id"], row["agent_id"], row["answered_at"], row["customer_number_hash"]) == (
        "c1",
        None,
        None,
        None,
    )


def test_a_missing_required_column_rejects_the_file_and_quarantines_every_data_line(landing, warehouse) -> None:
    columns = [c for c in CALLS_COLUMNS if c != "queue"]
    landing.write("calls_2026-08-01.csv", [{"call_id": "c1"}, {"call_id": "c2"}, {"call_id": "c3"}], columns=columns)

    result = warehouse.load("calls")

    log = warehouse.load_log("calls")["calls_2026-08-01.csv"]
    assert (log["status"], log["rows_read"], log["rows_accepted"], log["rows_quarantined"]) == ("rejected", 3, 0, 3)
    assert "calls_2026-08-01.csv" in log["reason"] and "missing required column: queue" in log["reason"]
    quarantined = warehouse.quarantine("calls")
    assert [(q["line_number"], q["column_name"]) for q in quarantined] == [(2, "queue"), (3, "queue"), (4, "queue")]
    assert {q["reason"] for q in quarantined} == {log["reason"]}
    assert {q["month"].isoformat() for q in quarantined} == {"2026-08-01"}
    assert warehouse.raw("calls") == []
    assert (result.files[0].rows_read, result.files[0].rows_quarantined) == (3, 3)


def test_a_header_naming_a_column_twice_rejects_the_file(landing, warehouse) -> None:
    landing.write_text(
        "calls_2026-08-01.csv", lines(landing.header("calls") + ",Queue", landing.line("calls") + ",sales")
    )

    warehouse.load("calls")

    log = warehouse.load_log("calls")["calls_2026-08-01.csv"]
    assert (log["status"], log["rows_quarantined"]) == ("rejected", 1)
    assert "header names column 'queue' twice" in log["reason"]


def test_a_semicolon_separated_file_is_rejected_with_a_hint_about_the_delimiter(landing, warehouse) -> None:
    text = lines(landing.header("calls").replace(",", ";"), landing.line("calls").replace(",", ";"))
    landing.write_text("calls_2026-08-01.csv", text)

    warehouse.load("calls")

    log = warehouse.load_log("calls")["calls_2026-08-01.csv"]
    assert log["status"] == "rejected"
    assert "comma-separated" in log["reason"]
    assert [q["line_number"] for q in warehouse.quarantine("calls")] == [2]


@pytest.mark.parametrize("content", ["", "\n", "HEADER", "HEADER\n", "HEADER\r\n\r\n\n"], ids=repr)
def test_an_empty_or_header_only_file_is_recorded_as_empty_and_contributes_nothing(landing, warehouse, content) -> None:
    landing.write_text("calls_2026-08-01.csv", content.replace("HEADER", landing.header("calls")))

    warehouse.load("calls")

    log = warehouse.load_log("calls")["calls_2026-08-01.csv"]
    assert (log["status"], log["rows_read"], log["rows_accepted"], log["rows_quarantined"]) == ("empty", 0, 0, 0)
    assert warehouse.raw("calls") == [] and warehouse.quarantine("calls") == []


def test_a_blank_line_before_the_header_does_not_pass_the_file_off_as_empty(landing, warehouse) -> None:
    landing.write_text("calls_2026-08-01.csv", lines("", landing.header("calls"), landing.line("calls")))

    warehouse.load("calls")

    log = warehouse.load_log("calls")["calls_2026-08-01.csv"]
    assert log["status"] == "rejected"
    assert (log["rows_read"], log["rows_quarantined"]) == (1, 1)
    assert [q["line_number"] for q in warehouse.quarantine("calls")] == [3]


def test_a_last_line_without_a_newline_is_read(landing, warehouse) -> None:
    text = lines(
        landing.header("calls"), landing.line("calls"), landing.line("calls", call_id="c2"), final_newline=False
    )
    landing.write_text("calls_2026-08-01.csv", text)

    warehouse.load("calls")

    assert [(r["call_id"], r["outcome"], r["_line_number"]) for r in warehouse.raw("calls")] == [
        ("c1", "resolved", 2),
        ("c2", "resolved", 3),
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_a_quoted_value_spanning_lines_keeps_the_line_numbers_after_it_exact(landing, warehouse, newline) -> None:
    text = lines(
        landing.header("states"),
        landing.line("states"),
        'A001,available,"lunch,',
        'then meeting",2026-08-01 12:00:00,2026-08-01 12:30:00',
        landing.line("states", state="break"),
        landing.line("states", state="nap"),
        newline=newline,
    )
    landing.write_text("states_2026-08-01.csv", text)

    warehouse.load("states")

    assert [(r["_line_number"], r["state"], r["reason"]) for r in warehouse.raw("states")] == [
        (2, "available", None),
        (3, "available", f"lunch,{newline}then meeting"),
        (5, "break", None),
    ]
    assert [(q["line_number"], q["column_name"]) for q in warehouse.quarantine("states")] == [(6, "state")]


def accepted_and_quarantined_lines(warehouse, extract: str) -> tuple[list[int], list[int]]:
    return (
        [r["_line_number"] for r in warehouse.raw(extract)],
        [q["line_number"] for q in warehouse.quarantine(extract)],
    )


def test_an_unbalanced_quote_quarantines_its_line_and_loses_none_after_it(landing, warehouse) -> None:
    text = lines(
        landing.header("calls"),
        landing.line("calls", call_id="c1"),
        landing.line("calls", call_id="c2", queue='"billing'),
        landing.line("calls", call_id="c3"),
        "",
        landing.line("calls", call_id="c4"),
    )
    landing.write_text("calls_2026-08-01.csv", text)

    warehouse.load("calls")

    assert accepted_and_quarantined_lines(warehouse, "calls") == ([2, 4, 6], [3])
    assert "quote" in warehouse.quarantine("calls")[0]["reason"]
    log = warehouse.load_log("calls")["calls_2026-08-01.csv"]
    assert (log["rows_read"], log["rows_accepted"], log["rows_quarantined"]) == (4, 3, 1)


def test_a_stray_quote_closed_by_a_later_quoted_value_does_not_swallow_the_rows_between(landing, warehouse) -> None:
    text = lines(
        landing.header("calls"),
        landing.line("calls", call_id="c1"),
        landing.line("calls", call_id="c2", queue='"billing'),
        landing.line("calls", call_id="c3"),
        landing.line("calls", call_id="c4", queue='"sales, north"'),
        landing.line("calls", call_id="c5"),
    )
    landing.write_text("calls_2026-08-01.csv", text)

    warehouse.load("calls")

    assert accepted_and_quarantined_lines(warehouse, "calls") == ([2, 4, 5, 6], [3])
    assert [r["queue"] for r in warehouse.raw("calls")] == ["billing", "billing", "sales, north", "billing"]
    log = warehouse.load_log("calls")["calls_2026-08-01.csv"]
    assert (log["rows_read"], log["rows_accepted"], log["rows_quarantined"]) == (5, 4, 1)


def test_a_stray_quote_with_the_wrong_field_count_does_not_swallow_the_rows_after_it(landing, warehouse) -> None:
    text = lines(
        landing.header("calls"),
        landing.line("calls", call_id="c1", queue='"billing'),
        landing.line("calls", call_id="c2"),
        landing.line("calls", call_id="c3", outcome='resolved"'),
        landing.line("calls", call_id="c4"),
    )
    landing.write_text("calls_2026-08-01.csv", text)

    warehouse.load("calls")

    assert accepted_and_quarantined_lines(warehouse, "calls") == ([3, 5], [2, 4])
    first, fourth = warehouse.quarantine("calls")
    assert first["reason"].startswith("expected 13 fields, found 4 in a record running to line 4")
    assert (fourth["column_name"], fourth["reason"].split(" (")[0]) == ("outcome", "unknown value 'resolved\"'")


def test_an_unbalanced_quote_in_a_large_file_loses_no_row(landing, warehouse) -> None:
    calls = [landing.line("calls", call_id=f"c{n}", queue="q" * 200) for n in range(1, 1001)]
    calls[1] = calls[1].replace(",q", ',"q', 1)
    landing.write_text("calls_2026-08-01.csv", lines(landing.header("calls"), *calls))

    warehouse.load("calls")

    accepted, quarantined = accepted_and_quarantined_lines(warehouse, "calls")
    assert (len(accepted), quarantined) == (999, [3])
    log = warehouse.load_log("calls")["calls_2026-08-01.csv"]
    assert (log["rows_read"], log["rows_accepted"], log["rows_quarantined"]) == (1000, 999, 1)


def test_a_misplaced_quote_within_one_line_reads_the_same_whether_or_not_the_file_has_multi_line_values(
    landing, warehouse
) -> None:
    def misplaced(day: str) -> list[str]:
        return [
            landing.line("calls", call_id=f"{day}-1", queue='"billing" '),
            landing.line("calls", call_id=f"{day}-2", queue='"sales"north'),
        ]

    landing.write_text("calls_2026-08-01.csv", lines(landing.header("calls"), *misplaced("d1")))
    multi_line_value = landing.line("calls", call_id="d2-0", queue='"two\nlines"')
    landing.write_text("calls_2026-08-02.csv", lines(landing.header("calls"), multi_line_value, *misplaced("d2")))

    warehouse.load("calls")

    assert [(r["call_id"], r["queue"]) for r in warehouse.raw("calls")] == [
        ("d1-1", "billing"),
        ("d1-2", "salesnorth"),
        ("d2-0", "two\nlines"),
        ("d2-1", "billing"),
        ("d2-2", "salesnorth"),
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize("with_multiline_value", [False, True], ids=["plain file", "file with a multi-line value"])
def test_rows_with_too_many_or_too_few_fields_are_quarantined_on_their_exact_line(
    landing, warehouse, with_multiline_value, newline
) -> None:
    multiline = [landing.line("calls", call_id="m1", queue='"two\nlines"')] if with_multiline_value else []
    text = lines(
        landing.header("calls"),
        *multiline,
        landing.line("calls", call_id="c1"),
        "",
        "",
        landing.line("calls", call_id="c2") + ",surplus",
        landing.line("calls", call_id="c3"),
        "",
        "c4,,inbound,billing",
        landing.line("calls", call_id="c5"),
        newline=newline,
    )
    landing.write_text("calls_2026-08-01.csv", text)
    shift = 2 if with_multiline_value else 0

    warehouse.load("calls")

    quarantined = warehouse.quarantine("calls")
    assert [(q["line_number"], q["reason"]) for q in quarantined] == [
        (5 + shift, "expected 13 fields, found 14"),
        (8 + shift, "expected 13 fields, found 4"),
    ]
    assert "c2" in json.loads(quarantined[0]["record"])
    assert [(r["call_id"], r["_line_number"]) for r in warehouse.raw("calls") if r["call_id"] != "m1"] == [
        ("c1", 2 + shift),
        ("c3", 6 + shift),
        ("c5", 9 + shift),
    ]
    log = warehouse.load_log("calls")["calls_2026-08-01.csv"]
    assert (log["rows_read"], log["rows_quarantined"]) == (5 + len(multiline), 2)
