"""The SQL console's rules (no Streamlit here): one read-only SELECT per run over the published catalog.

Two layers, so that one failing still leaves the other:

1. ``check`` parses the text with DuckDB's own parser and accepts exactly one statement of type
   SELECT (which covers ``WITH … SELECT``, ``FROM t``, ``VALUES``, ``DESCRIBE``, ``SUMMARIZE``,
   ``SHOW``).  COPY, EXPORT, ATTACH, INSTALL/LOAD, SET/RESET/PRAGMA, CREATE (temporary objects
   included), INSERT/UPDATE/DELETE/DROP, CALL, EXPLAIN and several statements are refused with a
   message that says why, in Japanese and English.
   ``check_functions`` also refuses the functions that show the server's configuration or files
   (absolute paths: ``duckdb_settings()``, ``current_setting()``, ``duckdb_databases()``, …) and
   ``query()`` / ``query_table()`` with anything but plain string literals (issue 10, item 7).
2. ``run`` sends the query to a worker process (``govmap.finder.sqlworker``) whose connection
   (``govmap.finder.catalog.connect_read_only``) is read-only, has no file, network or extension access,
   memory and thread limits and its configuration locked, and whose address space is capped by the
   OS.  The worker interrupts the query at the time limit and is killed when it cannot (a single
   huge value), returns at most the row cap and the result-byte cap, and scrubs server paths from
   error messages; the next query works in every case (issue 10, item 2).

The console reads only the catalog file: the submissions store (SQLite) is a different file that
the sandbox cannot attach or read, and the catalog holds no private contact.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb

from govmap import i18n, settings
from govmap.finder import sqlworker
from govmap.finder.catalog import Catalog, QueryInterrupted, QueryResult, arrow_to_pandas

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
    check_functions(catalog, text)
    return text


# Functions that show the server's configuration or files (absolute paths: the catalog, its temp
# directory, home, extension and secret folders) or that scan Python memory (issue 10, item 7).
SERVER_FUNCTIONS = frozenset({
    "duckdb_settings", "current_setting", "duckdb_databases", "pragma_database_list", "database_list",
    "duckdb_extensions", "extension_versions", "duckdb_secrets", "which_secret", "duckdb_temporary_files",
    "duckdb_external_file_cache", "duckdb_logs", "duckdb_logs_parsed", "duckdb_log_contexts",
    "json_execute_serialized_sql", "arrow_scan", "arrow_scan_dumb", "pandas_scan", "python_map_function",
})
# Table functions that run SQL given as text: allowed only with plain string literals, which are
# checked like the query itself (``query('SELECT * FROM duckdb_' || 'settings()')`` is refused).
TEXT_SQL_FUNCTIONS = frozenset({"query", "query_table"})
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")
_SERVER_REFUSAL = ("{name} はサーバーの設定やファイルを表示するため使えません。",
                   "{name} is not available: it shows the server's configuration or files.")
_TEXT_SQL_REFUSAL = ("{name}() には文字列リテラルだけを渡せます。", "{name}() accepts only plain string literals.")


def check_functions(catalog: Catalog, text: str, depth: int = 0) -> None:
    """Refuse the server functions, named anywhere in the text (string literals included), and
    ``query()`` / ``query_table()`` whose argument is not a plain string literal."""
    for word in _WORD.findall(text):
        if word.lower() in SERVER_FUNCTIONS:
            raise Refused(*(m.format(name=word) for m in _SERVER_REFUSAL))
    tree = json.loads(catalog.frame("SELECT json_serialize_sql(?::VARCHAR) AS j", [text])["j"][0])
    if tree.get("error"):  # a SELECT the serializer does not cover (WITH … PIVOT): no text-SQL calls then
        if depth or not {w.lower() for w in _WORD.findall(text)} & TEXT_SQL_FUNCTIONS:
            return
        raise Refused(*(m.format(name="query") for m in _TEXT_SQL_REFUSAL))
    for node in _nodes(tree):
        name = str(node.get("function_name", "")).lower()
        if name in TEXT_SQL_FUNCTIONS:
            for child in node.get("children", []):
                literal = child.get("class") == "CONSTANT" and child["value"]["type"]["id"] == "VARCHAR"
                if not literal or depth > 3:
                    raise Refused(*(m.format(name=name) for m in _TEXT_SQL_REFUSAL))
                if not child["value"]["is_null"]:
                    check_functions(catalog, str(child["value"]["value"]), depth + 1)


def _nodes(tree):
    """Every dict in a json_serialize_sql tree."""
    stack = [tree]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


@dataclass
class ConsoleResult(QueryResult):
    """A console result: the frame for the page, the Arrow table it came from, and what it cost."""
    table: object = None
    result_bytes: int = 0
    worker_cpu_s: float = 0.0
    worker_peak_rss_kb: int = 0


def warm(catalog: Catalog) -> None:
    """Have a worker process ready for this catalog (the page calls this; start-up takes ~1-2 s)."""
    sqlworker.pool().warm(catalog.path)


def run(catalog: Catalog, sql: object, *, max_rows: int | None = None,
        time_limit_ms: int | None = None) -> ConsoleResult:
    """Check, then run in a worker process under the row cap, the result-size cap, the time limit
    and the memory limits (a caller can only lower the row cap and the time limit).

    Raises Refused, QueryInterrupted (time), sqlworker.ConsoleLimit (memory, result size, busy)
    or a duckdb.Error with server paths scrubbed from its message."""
    import pyarrow as pa
    text = check(catalog, sql)
    cap, limit_ms = int(settings.get("max_returned_rows")), int(settings.get("sql_time_limit_ms"))
    max_rows = cap if max_rows is None else min(int(max_rows), cap)
    time_limit_ms = limit_ms if time_limit_ms is None else min(int(time_limit_ms), limit_ms)
    request = {"sql": text, "max_rows": max_rows, "time_limit_ms": time_limit_ms,
               "max_bytes": int(settings.get("sql_max_result_bytes"))}
    try:
        answer = sqlworker.pool().run(catalog.path, request)
    except sqlworker.ConsoleLimit as limit:
        if limit.kind == "time":
            raise QueryInterrupted(f"query stopped after {time_limit_ms} ms") from None
        raise
    header = answer.header
    if not header["ok"]:
        kind = header["kind"]
        if kind == "interrupted":
            raise QueryInterrupted(f"query stopped after {time_limit_ms} ms")
        if kind in ("memory", "result_bytes"):
            raise sqlworker.ConsoleLimit(kind, header.get("message", str(header.get("bytes", ""))))
        error = getattr(duckdb, header.get("error_class", ""), duckdb.Error)
        raise (error if isinstance(error, type) and issubclass(error, duckdb.Error) else duckdb.Error)(header["message"])
    table = pa.ipc.open_stream(answer.payload).read_all()
    return ConsoleResult(arrow_to_pandas(table), header["truncated"], header["elapsed_ms"], max_rows,
                         table=table, result_bytes=header["size"], worker_cpu_s=header["cpu_s"],
                         worker_peak_rss_kb=header["peak_rss_kb"])


def limit_message(limit: sqlworker.ConsoleLimit, lang: str) -> str:
    """The page's message for a memory, result-size or busy limit."""
    if limit.kind == "result_bytes":
        return i18n.t("sql.too_large", lang, mb=f"{int(settings.get('sql_max_result_bytes')) / 1e6:,.0f}")
    if limit.kind == "busy":
        return i18n.t("sql.busy", lang)
    return i18n.t("sql.memory", lang, memory=settings.get("sql_process_memory_limit"))


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
    "sql.memory": {"ja": "メモリの上限({memory})を超えたため中断しました。対象の行や列を絞ってください。",
                   "en": "Stopped: the query needed more than its memory limit ({memory}). Select fewer rows or columns."},
    "sql.too_large": {"ja": "結果が大きすぎます(上限 {mb} MB)。列を絞るか LIMIT を付けてください。",
                      "en": "The result is too large (at most {mb} MB). Select fewer columns or add a LIMIT."},
    "sql.busy": {"ja": "SQL分析が混み合っています。少し待ってからもう一度実行してください。",
                 "en": "The SQL console is busy. Wait a moment and run the query again."},
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
