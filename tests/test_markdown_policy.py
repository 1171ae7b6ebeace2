"""One Markdown policy (issue 10, finding 3): every argument that reaches a Streamlit element
rendering Markdown is either our own text or goes through ``escape.markdown_text``.

Streamlit 1.67 renders Markdown (links, images fetched by every visitor, ``$…$`` math,
``:material/…:`` icons, ``:red[…]`` colours, emphasis) in ``st.markdown``/``st.write``, captions,
alerts, titles, ``st.table`` cells, widget labels and help texts, and radio/pills/segmented-control
options; ``st.text``, ``st.dataframe`` cells, ``st.code`` and selectbox/multiselect options are plain
(checked in Chromium; tests/browser/test_hostile_browser.py shows it on the real pages).

The scan below reads every page and UI module and lists each call of such an element whose text
argument is not provably safe.  Provably safe: a literal, a message ``t(key, …)`` whose values are
safe, ``escape.markdown_text(…)``, a number formatted with a format spec, and f-strings, ``+`` and
``x if c else y`` made only of those.  Anything else must be in ``REVIEWED`` below with the reason it
cannot carry vendor text, so a new call site that passes vendor text cannot slip in unnoticed.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from govmap import escape

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py"), ROOT / "app.py"])

# Elements whose label/body/help render Markdown.
MARKDOWN_ELEMENTS = {
    "markdown", "write", "caption", "table", "title", "header", "subheader", "info", "warning", "error", "success",
    "toast", "metric", "expander", "tabs", "radio", "checkbox", "toggle", "button", "download_button",
    "link_button", "page_link", "text_input", "text_area", "number_input", "date_input", "time_input", "pills",
    "segmented_control", "form_submit_button", "popover", "status", "select_slider", "slider", "selectbox",
    "multiselect", "file_uploader", "color_picker", "badge", "feedback",
}
# ...and whose options (format_func) render Markdown too.  selectbox/multiselect options are plain.
MARKDOWN_OPTIONS = {"radio", "pills", "segmented_control", "select_slider"}
TEXT_KEYWORDS = {"label", "body", "help", "caption", "placeholder", "value", "delta", "text", "data"}
SAFE_CALLS = {"markdown_text", "markdown_link", "len", "int", "float", "round", "format_receipt"}
# Message parameters that by convention carry only numbers, dates or receipt numbers (never names):
# t("x", n=...) and so on.  A message that shows a name must pass it through escape.markdown_text.
NUMERIC_PARAMS = {"n", "shown", "total", "known", "unknown", "version", "seconds", "rows", "ms", "memory", "r",
                  "receipt", "when", "limit", "minutes", "retry", "count", "built_at", "watermark"}

# (file, unparsed argument) -> why it cannot carry vendor text.
REVIEWED = {
    ("pages/alternatives.py", "core_link"): "an escaped message linking to a URL made of literals and a 6-digit "
                                             "municipality code chosen from the gazetteer's list (no vendor text)",
    ("pages/home.py", "label"): "figure label from context.t(...) two lines above",
    ("ui/context.py", "lambda v: '日本語' if v == 'ja' else 'English'"): "literals",
    ("ui/submitform.py", "problem[context.lang()] if isinstance(problem, dict) else str(problem)"):
        "validator messages (govmap/validators.py, submission_messages.py) embed no input",
    ("ui/submitform.py", "notice[context.lang()]"): "a message dict from submission_messages.py",
    ("ui/submitstatus.py", "notice[context.lang()]"): "a message dict from submission_messages.py",
    ("ui/submitform.py", "label"): "field labels built from t(...) by the form code",
    ("ui/submitform.py", "help"): "field help from t(...) by the form code",
    ("ui/submitform.py", "fmt"): "option labels built from t(...) (codes of our own lists)",
    ("ui/reviewer.py", "t(*problem[:1], **problem[1])"): "login refusal message and retry seconds (auth.py)",
    ("pages/concentration.py", "f\"{t('conc.by_area')}: {labels[category]}\""): "taxonomy label (data/taxonomy)",
    ("pages/concentration.py", "t('conc.area_vendors', area=b.places.prefecture(prefs[pref], lang))"):
        "prefecture name from the gazetteer",
    ("pages/search.py", "f\"{t('facet.has_adoptions')} ({counts['has_adoptions']['yes']})\""): "a count",
    ("pages/search.py", "lambda v: t(f'facet.location.{v}') + ('' if v == 'all' else f\" ({counts['location'][v]})\")"):
        "message + a count",
    ("pages/sql.py", "sqlconsole.limit_message(limit, lang)"): "the console's own message about its limits",
    ("ui/printing.py", "safe"): "the printable view's table: every cell and header through escape.markdown_text just above",
    ("pages/vendor.py", "pd.DataFrame({'': list(facts), ' ': [escape.markdown_text(v) for v in facts.values()]}).set_index('')"):
        "every cell value through escape.markdown_text; the keys are t(...) labels",
}


def _name(func: ast.AST) -> str | None:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def safe(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(safe(v) for v in node.values)
    if isinstance(node, ast.FormattedValue):
        return node.format_spec is not None or safe(node.value)
    if isinstance(node, ast.Call):
        name = _name(node.func)
        if name == "t":
            return all(safe(a) for a in node.args[1:]) and all(
                k.arg in NUMERIC_PARAMS or safe(k.value) for k in node.keywords)
        if name == "labelled":  # ui.submitform.labelled(options, fn): the labels are fn's
            return len(node.args) > 1 and safe(node.args[1])
        return name in SAFE_CALLS
    if isinstance(node, ast.BinOp):
        return safe(node.left) and safe(node.right)
    if isinstance(node, ast.IfExp):
        return safe(node.body) and safe(node.orelse)
    if isinstance(node, ast.Lambda):
        return safe(node.body)
    if isinstance(node, (ast.List, ast.Tuple)):
        return all(safe(e) for e in node.elts)
    return False


def call_sites():
    """(file, line, element, argument source) of every Markdown-rendering text argument."""
    for path in SOURCES:
        rel = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in MARKDOWN_ELEMENTS):
                continue
            if node.func.attr == "write" and isinstance(node.func.value, ast.Name) and node.func.value.id != "st":
                continue  # file.write(...)
            args = list(node.args[:1]) + [k.value for k in node.keywords if k.arg in TEXT_KEYWORDS]
            if node.func.attr in MARKDOWN_OPTIONS:
                args += [k.value for k in node.keywords if k.arg == "format_func"]
            for arg in args:
                yield rel, node.lineno, node.func.attr, arg


def test_the_scan_sees_the_pages():
    sites = list(call_sites())
    assert len(sites) > 100 and {s[0] for s in sites} >= {"pages/vendor.py", "pages/search.py", "ui/submitform.py"}


def test_every_markdown_rendering_argument_is_ours_or_escaped():
    unsafe = [f"{rel}:{line} st.{element}({ast.unparse(arg)[:90]})" for rel, line, element, arg in call_sites()
              if not safe(arg) and (rel, ast.unparse(arg)) not in REVIEWED]
    assert unsafe == [], "vendor text may reach Markdown here; wrap it in escape.markdown_text " \
                         "or add it to REVIEWED with the reason:\n" + "\n".join(unsafe)


def test_reviewed_entries_still_exist():
    seen = {(rel, ast.unparse(arg)) for rel, _, _, arg in call_sites()}
    assert set(REVIEWED) <= seen, sorted(set(REVIEWED) - seen)


@pytest.mark.parametrize("text", [
    "![i](http://evil.example/x.png)", "[l](http://evil.example/)", "$x^2$", ":material/verified:",
    ":red[重要]", ":smile:", "**b**", "<b>h</b>", "# h", "1. x", "| a | b |", "`code`", "~~s~~", "\\:material/x:", "www.evil.example", "mail@evil.example",
])
def test_markdown_text_leaves_no_live_construct(text):
    out = escape.markdown_text(text)
    # every ASCII punctuation character is backslash-escaped, and a word joiner follows each colon
    for i, ch in enumerate(out):
        if ch in "[]()!$*_`~|<>#:" and (i == 0 or out[i - 1] != "\\"):
            pytest.fail(f"{ch!r} unescaped at {i} in {out!r}")
    assert ":material/" not in out and ":red[" not in out and ":smile:" not in out
    assert "www\\." not in out.lower() and "@e" not in out  # GFM autolink literals need "www." / "@host"


@pytest.mark.parametrize("url", ["https://e.example/a)(b", "https://e.example/$x$", "https://e.example/<b>*_[x]",
                                 "https://e.example/パス"])
def test_markdown_link_destination_cannot_break_out(url):
    out = escape.markdown_link(url, url)
    destination = out[out.rindex("](") + 2:-1]
    assert not set(destination) & set("()<>$*[] ") and destination.startswith("https://e.example/")


def test_markdown_link_only_for_http_urls():
    assert escape.markdown_link("javascript:alert(1)", "x") == "x"
