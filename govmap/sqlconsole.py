"""The SQL console's rules (no Streamlit here): one read-only SELECT per run over the published catalog.

Two layers, so that one failing still leaves the other:

1. ``check`` parses the text with DuckDB's own parser and accepts exactly one statement of type
   SELECT (which covers ``WITH … SELECT``, ``FROM t``, ``VALUES``, ``DESCRIBE``, ``SUMMARIZE``,
   ``SHOW``).  COPY, EXPORT, ATTACH, INSTALL/LOAD, SET/RESET/PRAGMA, CREATE (temporary objects
   included), INSERT/UPDATE/DELETE/DROP, CALL, EXPLAIN and several statements are refused with a
   message that says why, in Japanese and English.
2. The connection it runs on (``govmap.catalog.connect_read_only``) is read-only, has no file,
   network or extension access, memory and thread limits, and its configuration locked; the query
   runs under ``Catalog.query``'s row cap and time limit (interrupted, then the next query works).

The console reads only the catalog file: the submissions store (SQLite) is a different file that
the sandbox cannot attach or read, and the catalog holds no private contact.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb

from govmap import i18n, settings
from govmap.catalog import Catalog, QueryResult

MAX_SQL_CHARS = 20_000
ANALYSTS_DOC = settings.ROOT / "docs" / "analysts.md"
_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")

_REFUSALS = {  # StatementType name → (ja, en)
    "COPY": ("COPY(ファイルへの書き出し・読み込み)は使えません。結果は下のダウンロードボタンで保存できます。",
             "COPY (writing or reading files) is not allowed; use the download buttons below the result."),
    "EXPORT": ("EXPORT DATABASE は使えません。一括ダウンロードを使ってください。",
               "EXPORT DATABASE is not allowed; use the bulk downloads instead."),
    "ATTACH": ("他のデータベースは接続(ATTACH)できません。公開カタログだけを検索できます。",
               "ATTACH is not allowed: only the published catalog can be queried."),
    "DETACH": ("DETACH は使えません。", "DETACH is not allowed."),
    "LOAD": ("拡張機能の INSTALL / LOAD は使えません。", "INSTALL / LOAD of extensions is not allowed."),
    "SET": ("SET / RESET / PRAGMA などの設定変更はできません(時間・行数・メモリの制限は固定です)。",
            "SET / RESET / PRAGMA cannot change settings (the time, row and memory limits are fixed)."),
    "CREATE": ("CREATE(一時テーブル・ビュー・マクロを含む)は使えません。WITH 句を使ってください。",
               "CREATE (temporary tables, views and macros included) is not allowed; use a WITH clause."),
    "INSERT": ("データの変更(INSERT)はできません。", "INSERT is not allowed: the catalog is read-only."),
    "UPDATE": ("データの変更(UPDATE)はできません。", "UPDATE is not allowed: the catalog is read-only."),
    "DELETE": ("データの変更(DELETE)はできません。", "DELETE is not allowed: the catalog is read-only."),
    "DROP": ("DROP は使えません。", "DROP is not allowed."),
    "ALTER": ("ALTER は使えません。", "ALTER is not allowed."),
}
_GENERIC = ("SELECT 文(WITH … SELECT を含む)だけを実行できます。", "Only a SELECT statement (or WITH … SELECT) can be run.")


class Refused(ValueError):
    """The text is not one read-only SELECT; ``ja`` and ``en`` say why."""

    def __init__(self, ja: str, en: str):
        super().__init__(en)
        self.ja, self.en = ja, en

    def message(self, lang: str) -> str:
        return self.en if lang == "en" else self.ja


def clean(sql: object) -> str:
    """NFKC (full-width letters, digits and ＳＥＬＥＣＴ fold) and control characters out; newlines kept
    so that ``--`` comments still end at the line end."""
    text = unicodedata.normalize("NFKC", "" if sql is None else str(sql))
    return _CONTROL.sub("", text).strip()


def check(catalog: Catalog, sql: object) -> str:
    """The cleaned SQL if it is exactly one SELECT; raises Refused otherwise."""
    text = clean(sql)
    if not text:
        raise Refused("SQL を入力してください。", "Enter an SQL query.")
    if len(text) > MAX_SQL_CHARS:
        raise Refused(f"SQL が長すぎます({len(text):,} 文字、上限 {MAX_SQL_CHARS:,} 文字)。",
                      f"The query is too long ({len(text):,} characters; at most {MAX_SQL_CHARS:,}).")
    try:
        statements = catalog.statements(text)
    except duckdb.Error as exc:
        raise Refused(f"SQL を解析できません: {first_line(exc)}", f"The query cannot be parsed: {first_line(exc)}")
    if len(statements) != 1:
        raise Refused(f"一度に実行できる文は1つだけです({len(statements)} 文あります)。PIVOT は WITH … PIVOT … SELECT の形で書いてください。",
                      f"Run one statement at a time ({len(statements)} found). Write PIVOT inside a WITH … SELECT.")
    kind = statements[0].type.name
    if kind != "SELECT":
        raise Refused(*_REFUSALS.get(kind, _GENERIC))
    return text


def run(catalog: Catalog, sql: object, *, max_rows: int | None = None,
        time_limit_ms: int | None = None) -> QueryResult:
    """Check, then run under the catalog's row cap and time limit (which a caller can only lower)."""
    text = check(catalog, sql)
    return catalog.query(text, max_rows=max_rows, time_limit_ms=time_limit_ms)


COLUMNS_SQL = """SELECT c.column_name AS "column", c.data_type AS "type", c.comment AS "meaning"
                 FROM duckdb_columns() c WHERE c.schema_name = 'main' AND c.table_name = ? ORDER BY c.column_index"""
RELATIONS_SQL = """SELECT name, comment FROM (
                       SELECT table_name AS name, comment FROM duckdb_tables() WHERE schema_name = 'main'
                       UNION ALL
                       SELECT view_name, comment FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal)
                   ORDER BY starts_with(name, 'v_') DESC, name"""


def first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


@dataclass(frozen=True)
class Example:
    title: str
    sql: str


def examples(path: Path = ANALYSTS_DOC) -> list[Example]:
    """The example queries of docs/analysts.md: each ``### title`` followed by a ```sql block.

    The console offers exactly these, and tests/test_analysts.py runs every one, so the document,
    the console and the catalog cannot drift apart."""
    text = path.read_text(encoding="utf-8")
    found = re.findall(r"^### (.+?)\n(?:(?!^### ).)*?```sql\n(.*?)```", text, flags=re.S | re.M)
    return [Example(title.strip(), sql.strip()) for title, sql in found]


MESSAGES = {
    "sql.title": {"ja": "SQL分析", "en": "SQL console"},
    "sql.intro": {"ja": "公開カタログ(DuckDB)に SELECT 文を1つずつ実行できます。ビューと列の説明は docs/analysts.md と docs/schema.md にあります。",
                  "en": "Run one SELECT at a time over the published catalog (DuckDB). Views and columns are described in docs/analysts.md and docs/schema.md."},
    "sql.limits": {"ja": "制限: 1回 {seconds} 秒まで、最大 {rows} 行、メモリ {memory}。ファイル・ネットワーク・拡張機能にはアクセスできません。",
                   "en": "Limits: {seconds} s per query, at most {rows} rows, {memory} of memory; no file, network or extension access."},
    "sql.example": {"ja": "例から始める", "en": "Start from an example"},
    "sql.example.none": {"ja": "(例を選ぶ)", "en": "(pick an example)"},
    "sql.query": {"ja": "SQL", "en": "SQL"},
    "sql.run": {"ja": "実行", "en": "Run"},
    "sql.refused": {"ja": "実行できません: {reason}", "en": "Not run: {reason}"},
    "sql.timeout": {"ja": "{ms} ミリ秒の制限時間を超えたため中断しました。条件を絞るか LIMIT を付けてください。",
                    "en": "Stopped after the {ms} ms time limit. Narrow the query or add a LIMIT."},
    "sql.error": {"ja": "SQL エラー: {error}", "en": "SQL error: {error}"},
    "sql.rows": {"ja": "{n} 行({ms} ミリ秒)", "en": "{n} rows ({ms} ms)"},
    "sql.truncated": {"ja": "先頭 {n} 行を表示しています(さらに行があります)。全件はダウンロードまたは一括エクスポートで。",
                      "en": "Showing the first {n} rows (there are more). Use the bulk export for everything."},
    "sql.download_csv": {"ja": "CSV(Excel用)", "en": "CSV (for Excel)"},
    "sql.download_parquet": {"ja": "Parquet", "en": "Parquet"},
    "sql.bulk": {"ja": "一括ダウンロード(テーブル・ビュー全体)", "en": "Bulk download (whole tables and views)"},
    "sql.bulk.pick": {"ja": "テーブル・ビュー", "en": "Table or view"},
    "sql.bulk.help": {"ja": "コマンドラインでは `python -m etl export --format parquet --out DIR` で全件を書き出せます。",
                      "en": "From the command line: `python -m etl export --format parquet --out DIR` writes every table and view."},
    "sql.schema": {"ja": "ビューと列(説明付き)", "en": "Views and columns (with descriptions)"},
    "sql.schema.pick": {"ja": "ビュー・テーブル", "en": "View or table"},
    "sql.licence": {"ja": "カタログのデータは CC BY 4.0 のオープンデータです(各行の出典URL、GeoNames を表示してください)。",
                    "en": "Catalog data is open data under CC BY 4.0 (attribute the sources each row cites, and GeoNames)."},
}


i18n.register(MESSAGES)
