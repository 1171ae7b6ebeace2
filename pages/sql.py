"""SQL分析: one read-only SELECT per run over the published catalog (govmap/finder/sqlconsole.py has the
rules; govmap/finder/catalog.py the sandboxed connection with its time limit and row cap)."""

import streamlit as st

from govmap import escape, settings
from govmap.finder import exports, sqlconsole, sqlworker
from govmap.finder.catalog import QueryInterrupted
from ui import context

cat = context.require_catalog()
t = context.t
lang = context.lang()
EXAMPLES = sqlconsole.examples()
sqlconsole.warm(cat)  # queries run in a worker process: have one started before the first Run

st.title(t("sql.title"))
st.write(escape.markdown_text(t("sql.intro")))
st.caption(t("sql.limits", seconds=settings.get("sql_time_limit_ms") / 1000, rows=f"{settings.get('max_returned_rows'):,}",
             memory=settings.get("sql_memory_limit")))

relations = cat.frame(sqlconsole.RELATIONS_SQL)  # the schema browser and the bulk downloads list these
with st.expander(t("sql.schema")):
    comments = dict(zip(relations["name"], relations["comment"]))
    chosen = st.selectbox(t("sql.schema.pick"), list(relations["name"]), key="sql_schema_pick")
    if chosen:
        st.caption(escape.markdown_text(comments.get(chosen) or ""))
        st.dataframe(cat.frame(sqlconsole.COLUMNS_SQL, [chosen]), hide_index=True, key="sql_schema_columns")

if "sql_text" not in st.session_state:
    st.session_state["sql_text"] = EXAMPLES[0].sql if EXAMPLES else "SELECT * FROM v_organisations LIMIT 20"


def _use_example() -> None:
    choice = st.session_state.get("sql_example")
    if choice is not None:
        st.session_state["sql_text"] = EXAMPLES[choice].sql


st.selectbox(t("sql.example"), range(len(EXAMPLES)), index=None, key="sql_example", on_change=_use_example,
             placeholder=t("sql.example.none"), format_func=lambda i: EXAMPLES[i].title)
sql = st.text_area(t("sql.query"), key="sql_text", height=220, max_chars=sqlconsole.MAX_SQL_CHARS)
run = st.button(t("sql.run"), key="sql_run", type="primary")

if run:
    try:
        result = sqlconsole.run(cat, sql)
    except sqlconsole.Refused as refused:
        st.error(t("sql.refused", reason=escape.markdown_text(refused.message(lang))))
    except QueryInterrupted:
        st.error(t("sql.timeout", ms=settings.get("sql_time_limit_ms")))
    except sqlworker.ConsoleLimit as limit:
        st.error(sqlconsole.limit_message(limit, lang))
    except Exception as exc:  # a DuckDB error in the analyst's SQL: show its first line, never a traceback
        st.error(t("sql.error", error=escape.markdown_text(sqlconsole.first_line(exc))))
    else:
        st.session_state["sql_result"] = (sql, result)

if "sql_result" in st.session_state:
    ran_sql, result = st.session_state["sql_result"]
    st.caption(t("sql.rows", n=f"{len(result.frame):,}", ms=f"{result.elapsed_ms:,.0f}"))
    if result.truncated:
        st.warning(t("sql.truncated", n=f"{result.max_rows:,}"))
    st.dataframe(result.frame, hide_index=True, key="sql_table")
    lines = exports.stamp(ran_sql, {}, cat.meta(), lang)
    left, right = st.columns(2)
    # Built only when clicked (a callable runs on the download request, not on every rerun).
    left.download_button(t("sql.download_csv"), lambda: exports.csv_bytes(result.frame, lines), file_name="govtech-sql.csv",
                         mime="text/csv", key="sql_csv", on_click="ignore")
    right.download_button(t("sql.download_parquet"), lambda: exports.parquet_bytes(result.frame),
                          file_name="govtech-sql.parquet", mime="application/vnd.apache.parquet", key="sql_parquet",
                          on_click="ignore")

with st.expander(t("sql.bulk")):
    st.caption(t("sql.bulk.help"))
    names = list(relations["name"])
    pick = st.selectbox(t("sql.bulk.pick"), names, index=names.index("v_organisations") if "v_organisations" in names else 0,
                        key="sql_bulk_pick")
    if pick in names:
        # The whole table is read and encoded only when a button is clicked, not on every rerun.
        whole = lambda: cat.frame(f'SELECT * FROM "{pick}"')  # noqa: E731
        built = cat.meta().get("built_at", "")[:10]
        left, right = st.columns(2)
        left.download_button(t("sql.download_csv"), lambda: exports.csv_bytes(whole()), file_name=f"{pick}-{built}.csv",
                             mime="text/csv", key="sql_bulk_csv", on_click="ignore")
        right.download_button(t("sql.download_parquet"), lambda: exports.parquet_bytes(whole()),
                              file_name=f"{pick}-{built}.parquet", mime="application/vnd.apache.parquet",
                              key="sql_bulk_parquet", on_click="ignore")
    st.caption(t("sql.licence"))
