"""Durability of the published catalog: swaps under concurrent readers, corrupt files, leftovers
of killed builds (issue 13 items 4 and 5).  Real DuckDB files, real os.replace swaps, real threads
through the app's own data-access path (ui/context.catalog)."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from govmap.finder.catalog import Catalog, CatalogPool, CatalogUnreadable
from ui import context
import shipped


def _copy_swap(source: Path, target: Path, n: int) -> None:
    """A new build appears: a fresh file (new inode) swapped in with os.replace, as the ETL does."""
    tmp = target.with_name(f"{target.name}.tmp-test{n}")
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)


def _run_like_a_page(failures: list, runs: list, stop: threading.Event) -> None:
    """What one buyer's page runs do: take the catalog once, then several real queries on it."""
    while not stop.is_set():
        try:
            cat = context.catalog()
            cat.frame("SELECT * FROM v_organisations ORDER BY org_id")
            time.sleep(0.01)
            cat.query("SELECT org_id, name_ja FROM organisations WHERE name_ja LIKE ?", ["%株式会社%"])
            cat.figures()
            time.sleep(0.01)
            cat.frame("SELECT * FROM v_adoptions ORDER BY adoption_id")
            runs.append(1)
        except Exception as exc:  # every failed run counts
            failures.append(repr(exc))
        finally:
            cat = None


def test_ten_sessions_never_fail_while_the_catalog_is_swapped_every_half_second(built_catalog, tmp_path, monkeypatch):
    live = tmp_path / "catalog.duckdb"
    shutil.copyfile(built_catalog, live)
    monkeypatch.setenv("GOVMAP_CATALOG_PATH", str(live))
    failures: list[str] = []
    runs: list[int] = []
    stop = threading.Event()
    threads = [threading.Thread(target=_run_like_a_page, args=(failures, runs, stop)) for _ in range(10)]
    for thread in threads:
        thread.start()
    swaps = 0
    try:
        for swaps in range(1, 13):
            time.sleep(0.4)
            _copy_swap(built_catalog, live, swaps)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert failures == [], f"{len(failures)} of {len(runs) + len(failures)} runs failed: {failures[:3]}"
    assert swaps >= 10 and len(runs) >= 20, (swaps, len(runs))
    pool = context.catalog_pool()
    latest = context.catalog()
    assert latest.identity[0] == os.stat(live).st_ino
    del latest
    assert pool.open_builds() == 1  # every replaced build was closed once no run used it
    print(f"\n{len(runs)} runs, {swaps} swaps, 0 failures")


def test_a_run_keeps_its_build_while_a_newer_one_is_served_to_the_next_run(built_catalog, tmp_path):
    live = tmp_path / "catalog.duckdb"
    shutil.copyfile(built_catalog, live)
    pool = CatalogPool(live)
    first = pool.handle()
    _copy_swap(built_catalog, live, 1)
    second = pool.handle()
    assert first.identity != second.identity and pool.open_builds() == 2
    assert first.figures() == second.figures()  # the old build still answers
    del first
    assert pool.open_builds() == 1  # closed once its last run let go


def test_a_corrupt_new_catalog_keeps_the_last_good_one_served(built_catalog, tmp_path):
    live = tmp_path / "catalog.duckdb"
    shutil.copyfile(built_catalog, live)
    pool = CatalogPool(live)
    good = pool.handle().identity
    broken = tmp_path / "broken.duckdb"
    data = bytearray(built_catalog.read_bytes())
    for offset in range(20000, len(data), 4096):  # damage every block: checksums fail
        data[offset:offset + 64] = b"\xff" * 64
    broken.write_bytes(bytes(data))
    os.replace(broken, live)
    served = pool.handle()
    assert served.identity == good and served.figures()["organisations"] == shipped.organisations()
    assert "cannot be read" in pool.problem
    fresh = CatalogPool(live)  # a process starting now has no good build to fall back on
    with pytest.raises(CatalogUnreadable):
        fresh.handle()
    _copy_swap(built_catalog, live, 2)  # a good build again: served, the problem gone
    assert pool.handle().identity != good and pool.problem is None


def test_catalog_opened_by_its_owner_closes_on_close(built_catalog):
    cat = Catalog(built_catalog)
    assert cat.figures()["organisations"] == shipped.organisations()
    cat.close()
    with pytest.raises(Exception):
        cat.frame("SELECT 1")


def test_a_page_says_the_catalog_is_damaged_when_there_is_no_good_one_to_serve(built_catalog, tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest
    live = tmp_path / "damaged.duckdb"
    data = bytearray(built_catalog.read_bytes())
    data[len(data) // 2:] = b"\x00" * (len(data) - len(data) // 2)  # the second half zeroed
    live.write_bytes(bytes(data))
    monkeypatch.setenv("GOVMAP_CATALOG_PATH", str(live))
    monkeypatch.setenv("GOVMAP_STORE_PATH", str(tmp_path / "store.sqlite"))
    root = Path(__file__).resolve().parent.parent
    for lang, words in (("ja", "カタログファイルを読み込めません"), ("en", "The catalog file cannot be read")):
        at = AppTest.from_file(str(root / "pages" / "search.py"), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception, at.exception
        assert any(words in e.value for e in at.error), [e.value for e in at.error]
