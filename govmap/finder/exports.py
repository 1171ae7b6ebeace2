"""Exports for buyers (選定理由 paperwork) and analysts: CSV for Excel and XLSX.

Every export is stamped with what produced it (query, filters, time, catalog version) and every
vendor-controlled cell is neutralised: CSV cells through ``escape.csv_cell`` (a leading
apostrophe before = + - @ tab CR), XLSX cells written explicitly as text so no formula runs.
CSV is UTF-8 with a BOM so Excel shows Japanese correctly.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timezone

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from govmap import escape

BOM = "\ufeff"


def stamp(query: str, filters: dict, meta: dict, lang: str = "ja", now: datetime | None = None) -> list[tuple[str, str]]:
    """The provenance lines written above every export."""
    now = now or datetime.now(timezone.utc)
    active = {k: v for k, v in filters.items() if v not in ([], "", None, False, "all")}
    labels = ({"query": "検索語", "filters": "絞り込み条件", "exported": "出力日時", "catalog": "カタログ版",
               "rows": "件数", "note": "出典"} if lang == "ja" else
              {"query": "Search", "filters": "Filters", "exported": "Exported at", "catalog": "Catalog build",
               "rows": "Rows", "note": "Sources"})
    return [
        (labels["query"], query or ""),
        (labels["filters"], "; ".join(f"{k}={_fmt(v)}" for k, v in active.items())),
        (labels["exported"], now.isoformat(timespec="seconds")),
        (labels["catalog"], f"{meta.get('built_at', '?')} (inputs {meta.get('inputs_sha256', '?')[:12]}"
                            f"{', SYNTHETIC' if meta.get('synthetic') == 'true' else ''})"),
        (labels["note"], "Govtech vendor capability map; sources per row in source_urls"),
    ]


def _fmt(value) -> str:
    return ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def _cell_text(value) -> object:
    """One cell as a spreadsheet sees it: lists (DuckDB gives numpy arrays) joined, NULL/NA empty."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(map(str, value))
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return ""
    return value


cell_text = _cell_text


def csv_bytes(frame: pd.DataFrame, stamp_lines: list[tuple[str, str]] | None = None) -> bytes:
    """UTF-8 with BOM; stamp rows, an empty row, then the table; every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for key, value in stamp_lines or []:
        writer.writerow([escape.csv_cell(key), escape.csv_cell(value)])
    if stamp_lines:
        writer.writerow([])
    writer.writerow([escape.csv_cell(str(c)) for c in frame.columns])
    for row in frame.itertuples(index=False):
        writer.writerow([escape.csv_cell(_cell_text(v)) for v in row])
    return (BOM + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(frame: pd.DataFrame, stamp_lines: list[tuple[str, str]] | None = None,
               sheet_title: str = "results") -> bytes:
    """A workbook with the table and a sheet with the stamp; text cells are typed as text."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    _write_rows(sheet, [list(map(str, frame.columns))] + [[_cell_text(v) for v in row]
                                                           for row in frame.itertuples(index=False)])
    if stamp_lines:
        _write_rows(book.create_sheet("stamp"), [list(pair) for pair in stamp_lines])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_rows(sheet, rows: list[list]) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = escape.plain(value)
                cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
            elif hasattr(value, "item"):
                cell.value = value.item()
            else:
                cell.value = value


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    out = io.BytesIO()
    frame.to_parquet(out, index=False)
    return out.getvalue()
