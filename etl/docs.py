"""Generated documentation: docs/schema.md from the catalog's COMMENTs, docs/settings.md from the
settings registry.  tests/test_docs.py fails when either is stale or a column lacks a comment."""

from __future__ import annotations

from pathlib import Path

import duckdb

from govmap import settings
from etl.load import HERE

DOCS = settings.ROOT / "docs"
EXTRA_SQL: list[Path] = []  # later features append view files here (e.g. analytics views)


def empty_catalog() -> duckdb.DuckDBPyConnection:
    """An in-memory catalog with the full schema and views, and no rows."""
    con = duckdb.connect()
    for path in (HERE / "schema.sql", HERE / "views.sql", *sorted((HERE / "views").glob("*.sql"))):
        con.execute(path.read_text(encoding="utf-8"))
    return con


def schema_objects(con) -> list[dict]:
    """Tables and views with their comments and columns (name, type, comment)."""
    objects = con.execute("""
        SELECT table_name AS name, 'table' AS kind, comment FROM duckdb_tables() WHERE NOT internal
        UNION ALL
        SELECT view_name, 'view', comment FROM duckdb_views() WHERE NOT internal AND schema_name = 'main'
        ORDER BY kind, name""").fetchall()
    out = []
    for name, kind, comment in objects:
        cols = con.execute("""SELECT column_name, data_type, comment FROM duckdb_columns()
                              WHERE table_name = ? ORDER BY column_index""", [name]).fetchall()
        out.append({"name": name, "kind": kind, "comment": comment, "columns": cols})
    return out


def schema_markdown(con=None) -> str:
    con = con or empty_catalog()
    objects = {o["name"]: o for o in schema_objects(con)}
    lines = ["# Catalog schema", "",
             "Generated from the catalog's `COMMENT`s by `python -m etl docs`; do not edit by hand.",
             "Analysts should prefer the `v_*` views: they are stable. NULL in a profile or flag column means *unknown*.", ""]
    for obj in objects.values():
        lines += [f"## {obj['kind']} `{obj['name']}`", "", obj["comment"] or "", "",
                  "| column | type | meaning |", "|---|---|---|"]
        for name, dtype, comment in obj["columns"]:
            lines.append(f"| `{name}` | {dtype} | {(comment or '').replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)


def write_docs() -> list[Path]:
    DOCS.mkdir(exist_ok=True)
    written = []
    for name, text in (("schema.md", schema_markdown()), ("settings.md", settings.settings_markdown())):
        path = DOCS / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
