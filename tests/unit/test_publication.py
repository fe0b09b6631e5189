"""Publishing the working copy: the served file is replaced whole, and the replaced one becomes the next working copy only when nobody reads it."""

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.generations import previous_generation, restore_working_copy, restoring_in_background
from orchestration.lib.warehouse import WarehouseResource


@pytest.fixture
def warehouse(tmp_path) -> WarehouseResource:
    resource = WarehouseResource(
        published_path=str(tmp_path / "warehouse.duckdb"),
        working_path=str(tmp_path / "warehouse.working.duckdb"),
        quality_dir=str(tmp_path / "data_quality"),
    )
    with resource.connect() as con:
        # Hashes do not compress: the history takes about 25 MB, as a year of calls takes gigabytes.
        con.execute("CREATE TABLE history AS SELECT hash(range) AS call_id, range % 97 AS agent_id FROM range(3000000)")
        con.execute("CREATE TABLE today (day INTEGER)")
    return resource


def build_day(warehouse: WarehouseResource, day: int) -> None:
    with warehouse.connect() as con:
        con.execute("DELETE FROM today")
        con.execute("INSERT INTO today VALUES (?)", [day])


def served_day(path: Path) -> int:
    """The day a new reader sees (attached afresh: `duckdb.connect` would reuse this process's open file)."""
    with duckdb.connect() as con:
        con.execute("ATTACH ? AS served (READ_ONLY)", [str(path)])
        return con.execute("SELECT day FROM served.today").fetchone()[0]


def day_of(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT day FROM today").fetchone()[0]


def test_every_publication_serves_the_working_copy_and_the_next_write_starts_from_an_equal_one(warehouse):
    published, working = Path(warehouse.published_path), Path(warehouse.working_path)
    for day in range(1, 5):
        build_day(warehouse, day)
        written = warehouse.publish()
        # Nothing served yet: the first publication copies; the next ones rename the working copy.
        assert written == (published.stat().st_size if day == 1 else 0)
        assert served_day(published) == day
        restore_working_copy(working, published)
        assert published.read_bytes() == working.read_bytes()
        assert not published.samefile(working)
    assert sorted(path.name for path in published.parent.iterdir() if path.is_file()) == sorted(
        [working.name, published.name, f".{working.name}.lock"]
    )


def test_a_day_of_changes_writes_a_fraction_of_the_warehouse(warehouse):
    published, working = Path(warehouse.published_path), Path(warehouse.working_path)
    build_day(warehouse, 1)
    first = warehouse.publish()
    build_day(warehouse, 2)
    assert warehouse.publish() == 0
    assert not working.exists() and previous_generation(published).exists()
    second = restore_working_copy(working, published)
    size = published.stat().st_size
    assert first == size  # nothing served yet: a whole copy
    assert 0 < second < size / 4
    assert not previous_generation(published).exists()


def test_a_reader_of_a_replaced_file_keeps_its_numbers_while_later_publications_go_on(warehouse):
    published, working = Path(warehouse.published_path), Path(warehouse.working_path)
    build_day(warehouse, 1)
    warehouse.publish()

    # A dashboard's connection (a DuckDB lock, as in any process) opened on day 1's file.
    with duckdb.connect(str(published), read_only=True) as reader, open(published, "rb") as readers_file:
        held = readers_file.read()
        numbers = "SELECT (SELECT day FROM today), count(*), sum(call_id), sum(agent_id) FROM history"
        seen = reader.execute(numbers).fetchone()
        assert seen[:2] == (1, 3000000)
        restored = []
        for day in (2, 3, 4):
            build_day(warehouse, day)
            warehouse.publish()
            restored.append(restore_working_copy(working, published))
            assert served_day(published) == day
            assert os.pread(readers_file.fileno(), len(held) + 1, 0) == held, "the file a reader holds was rewritten"
            assert reader.execute(numbers).fetchone() == seen
        # Day 1's file was held: the working copy after day 2 was copied whole; the next ones rewritten.
        size = published.stat().st_size
        assert restored[0] == size and all(0 < bytes_written < size / 4 for bytes_written in restored[1:])


def test_a_connection_left_on_the_working_copy_keeps_it_the_working_copy(warehouse):
    published, working = Path(warehouse.published_path), Path(warehouse.working_path)
    build_day(warehouse, 1)
    warehouse.publish()
    build_day(warehouse, 2)
    with duckdb.connect(str(working), read_only=True):
        inode = working.stat().st_ino
        written = warehouse.publish()
        assert working.stat().st_ino == inode
    assert written == published.stat().st_size
    assert published.read_bytes() == working.read_bytes()
    assert served_day(published) == 2


def test_a_working_copy_rebuilt_halfway_or_lost_is_made_again_from_the_served_file(warehouse):
    published, working = Path(warehouse.published_path), Path(warehouse.working_path)
    build_day(warehouse, 1)
    warehouse.publish()
    build_day(warehouse, 2)
    warehouse.publish()
    previous = previous_generation(published)
    with open(previous, "r+b") as rewritten_halfway:  # killed while rewriting: its end still the old day's
        rewritten_halfway.write(published.read_bytes()[: previous.stat().st_size // 2])
    restore_working_copy(working, published)
    assert published.read_bytes() == working.read_bytes()
    build_day(warehouse, 3)
    assert day_of(working) == 3 and served_day(published) == 2

    working.unlink()  # removed by hand, with no previous generation left
    assert restore_working_copy(working, published) == published.stat().st_size
    assert published.read_bytes() == working.read_bytes()


def test_a_process_of_its_own_makes_the_working_copy_and_the_first_writer_waits_for_it(warehouse):
    published, working = Path(warehouse.published_path), Path(warehouse.working_path)
    build_day(warehouse, 1)
    warehouse.publish()
    assert restoring_in_background(working, published) is None  # the first publication copied
    build_day(warehouse, 2)
    warehouse.publish()
    restoring = restoring_in_background(working, published)
    build_day(warehouse, 3)
    assert restoring.wait() == 0
    assert day_of(working) == 3 and served_day(published) == 2
    assert not previous_generation(published).exists()


DASHBOARD_READER = """
import duckdb, sys
con = duckdb.connect(sys.argv[1], read_only=True)
for _ in sys.stdin:
    print(*con.execute("SELECT (SELECT day FROM today), count(*), sum(call_id) FROM history").fetchone(), flush=True)
"""


def test_a_reader_in_another_process_holds_its_file_through_publications(warehouse):
    published = Path(warehouse.published_path)
    build_day(warehouse, 1)
    warehouse.publish()
    reader = subprocess.Popen([sys.executable, "-c", DASHBOARD_READER, str(published)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:

        def ask() -> str:
            reader.stdin.write("\n")
            reader.stdin.flush()
            return reader.stdout.readline()

        with open(published, "rb") as readers_file:
            seen = ask()
            held = readers_file.read()
            for day in (2, 3, 4):
                build_day(warehouse, day)
                warehouse.publish()
                assert served_day(published) == day
            assert os.pread(readers_file.fileno(), len(held) + 1, 0) == held, "the file a reader holds was rewritten"
            assert ask() == seen and seen.startswith("1 3000000 ")
    finally:
        reader.kill()
        reader.wait()
