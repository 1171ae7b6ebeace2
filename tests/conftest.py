"""Shared fixtures: a real catalog built once per session from the shipped seed data into a
temp folder (never touching data/catalog.duckdb), and tightened limits so the truncation and
timeout paths actually run (as datasette's conftest does)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def built_catalog(tmp_path_factory) -> Path:
    """The shipped real catalog, built by the real ETL into a temp file."""
    from etl.build import build, read_inputs
    out = tmp_path_factory.mktemp("catalog") / "catalog.duckdb"
    build(out, inputs=read_inputs(with_submissions=False), progress=False)
    return out


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    """A writable copy of the seed folder, for tests that break the inputs."""
    target = tmp_path / "seed"
    shutil.copytree(ROOT / "data" / "seed", target)
    return target


@pytest.fixture
def catalog_env(built_catalog, monkeypatch, tmp_path):
    """Point the app's settings at the test catalog and an empty store."""
    monkeypatch.setenv("GOVMAP_CATALOG_PATH", str(built_catalog))
    monkeypatch.setenv("GOVMAP_STORE_PATH", str(tmp_path / "store" / "submissions.sqlite"))
    return built_catalog


@pytest.fixture
def deferred_downloads(monkeypatch):
    """Streamlit's own registry of deferred downloads (st.download_button with a callable), observed,
    not replaced: file name -> the callable a click would run."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    registered = {}
    original = MediaFileManager.add_deferred

    def observe(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        registered[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", observe)
    return registered


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server (Debian's binaries, temp folder, loopback), for the session."""
    from pgserver import PostgresServer
    server = PostgresServer().start()
    server.wait_ready()
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A fresh, empty database on the test server."""
    return pg_server.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_where(request, tmp_path):
    """Where a test's submission store lives: the embedded SQLite file, and (the same test again)
    a fresh database on the real PostgreSQL test server (GOVMAP_STORE_URL deployments)."""
    if request.param == "sqlite":
        return tmp_path / "store.sqlite"
    return request.getfixturevalue("pg_server").new_database()
