"""The one place where untrusted (vendor-supplied) text is made safe for an output context.

Every page, map popup, export and message that shows vendor text calls a function from here.
Contexts and why each exists:

* ``html_text``  – text inside HTML element content or a quoted attribute.
* ``js_template_html`` – HTML that ends up in a map popup, tooltip or legend.  ``html.escape`` alone
  is not enough there: inside a JavaScript template literal ``${...}`` is evaluated and a backslash
  or backtick can end the literal (FIELD-NOTES "Vendor text in folium is not escaped"), and
  folium/branca compile rendered map code as a Jinja template, where ``{{ … }}``, ``{% … %}`` and
  ``{# … #}`` run on the server (FIELD-NOTES "Measured on the landed app").  We therefore also
  encode `` ` ``, ``$``, ``\\``, ``{``, ``}`` and ``%`` as HTML character references, which the
  browser turns back into the literal characters when it parses the HTML.  (The map elements also
  never hand their data to a template compiler: govmap/maps/mapassets.py ``DataOnly``.)
* ``script_json`` (govmap/maps/mapassets.py) – JSON inside a ``<script>``; strings have ``{ } %`` as
  ``\\u`` escapes there for the same reason.
* ``markdown_text`` – the one function for vendor text in any Streamlit element that renders
  Markdown: ``st.markdown``/``st.write``/``st.caption``, ``st.table`` cells, widget labels, radio and
  select options (``format_func``), help texts, expander and tab labels, column headers.  Markdown and
  HTML metacharacters are backslash-escaped (no links, images, emphasis, tables, HTML, ``$…$`` math),
  and a word joiner (U+2060) follows every ``:`` so that ``:material/…:`` icons, ``:emoji:``
  shortcodes and ``:red[…]`` colour directives cannot form.  tests/test_markdown_policy.py lists
  every call site that passes text to such an element.
* ``csv_cell`` – a cell in a CSV/XLSX opened in Excel: a leading ``= + - @`` tab or CR starts a
  formula (OWASP "CSV injection"), so such cells get a leading apostrophe.
* ``safe_url`` – only http(s) URLs become links.
* ``plain`` – strips bidirectional overrides and zero-width characters that could disguise text.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

# Bidi overrides/isolates and zero-width characters: shown text must not be reordered or hidden.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# C0/C1 controls other than newline and tab (unicodedata category Cc), removed in one regex pass.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JS_TEMPLATE = {"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;", "%": "&#37;"}
_JS_TEMPLATE_RE = re.compile("[`$\\\\{}%]")
_WORD_JOINER = "\u2060"
_AUTOLINK_WWW = re.compile(r"(?i)(www)(?=\\\.)")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(value: object) -> str:
    """Text with control, bidi-override and zero-width characters removed (newlines kept)."""
    if value is None:
        return ""
    return _CONTROL.sub("", _INVISIBLE.sub("", str(value)))


def html_text(value: object) -> str:
    """Escape for HTML element content and quoted attributes."""
    return html.escape(plain(value), quote=True)


def js_template_html(value: object) -> str:
    """Escape for HTML that ends up inside a JavaScript template literal (folium popups/tooltips)."""
    return _JS_TEMPLATE_RE.sub(lambda m: _JS_TEMPLATE[m.group()], html_text(value))


def markdown_text(value: object) -> str:
    """Escape for Streamlit Markdown so vendor text never renders as links, images, HTML, math,
    icons, emoji or colours: the one policy for every Markdown-rendering element (module doc)."""
    text = plain(value).replace("\r", " ").replace("\n", " ")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\\:", "\\:" + _WORD_JOINER)
    # GFM autolink literals ignore backslash escapes: break "www." and "user@host" with a word joiner too.
    return _AUTOLINK_WWW.sub("\\1" + _WORD_JOINER, text).replace("@", "@" + _WORD_JOINER)


_URL_KEEP = re.compile(r"[^A-Za-z0-9\-._~:/?#@!&'+,;=%]")


def markdown_link(url: object, label: object) -> str:
    """A Markdown link for http(s) URLs (label through ``markdown_text``; every character of the
    destination outside a conservative URL set percent-encoded, so ``( ) < > $ * [ ]`` and spaces cannot
    end the link or start anything); only the escaped label otherwise."""
    href = safe_url(url)
    if href is None:
        return markdown_text(label)
    href = _URL_KEEP.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), href)
    return f"[{markdown_text(label)}]({href})"


def csv_cell(value: object) -> object:
    """Neutralise a spreadsheet cell: text starting like a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = plain(value) if value else value
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def is_http_url(value: object) -> bool:
    """True only for absolute http(s) URLs with a host (no javascript:, data:, relative paths), no
    user-name part and no backslash (browsers read ``\\`` as ``/``): links from stored data too."""
    if not isinstance(value, str) or not value:
        return False
    text = value.strip()
    if _INVISIBLE.search(text) or any(ord(ch) < 0x21 for ch in text) or "\\" in text:
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    # A user-name part makes https://city.example.lg.jp@evil.example/ go to evil.example: never a link.
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "@" not in parts.netloc


def safe_url(value: object) -> str | None:
    """The URL if it is http(s), else None (callers then show it as text, not as a link)."""
    return value.strip() if is_http_url(value) else None


def html_link(url: object, label: object, *, for_js_template: bool = False) -> str:
    """An <a> element for http(s) URLs, escaped text otherwise."""
    esc = js_template_html if for_js_template else html_text
    href = safe_url(url)
    if href is None:
        return esc(label)
    return (
        f'<a href="{esc(href)}" target="_blank" rel="noopener noreferrer nofollow">'
        f"{esc(label)}</a>"
    )


def dataframe_for_export(frame):
    """A copy of a pandas DataFrame with every text cell (and the header) neutralised for Excel."""
    import pandas as pd
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column].dtype):
            out[column] = out[column].astype(object).map(csv_cell)
    out.columns = [csv_cell(str(c)) for c in out.columns]
    return out
