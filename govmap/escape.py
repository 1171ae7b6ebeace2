"""The one place where untrusted (vendor-supplied) text is made safe for an output context.

Every page, map popup, export and message that shows vendor text calls a function from here.
Contexts and why each exists:

* ``html_text``  – text inside HTML element content or a quoted attribute.
* ``js_template_html`` – HTML that folium places inside a JavaScript template literal
  (popups, tooltips).  ``html.escape`` alone is not enough there: ``${...}`` is evaluated, and a
  backslash or backtick can end the literal (FIELD-NOTES "Vendor text in folium is not escaped").
  We therefore also encode `` ` ``, ``$`` and ``\\`` as HTML character references, which the
  browser turns back into the literal characters only after the JavaScript has run.
* ``markdown_text`` – text passed to ``st.markdown``/``st.write``: Markdown and HTML metacharacters
  are backslash-escaped so that links, images and emphasis do not render.
* ``csv_cell`` – a cell in a CSV/XLSX opened in Excel: a leading ``= + - @`` tab or CR starts a
  formula (OWASP "CSV injection"), so such cells get a leading apostrophe.
* ``safe_url`` – only http(s) URLs become links.
* ``plain`` – strips bidirectional overrides and zero-width characters that could disguise text.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

# Bidi overrides/isolates and zero-width characters: shown text must not be reordered or hidden.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_JS_TEMPLATE = {"`": "&#96;", "$": "&#36;", "\\": "&#92;"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(value: object) -> str:
    """Text with control, bidi-override and zero-width characters removed (newlines kept)."""
    if value is None:
        return ""
    text = str(value)
    text = _INVISIBLE.sub("", text)
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def html_text(value: object) -> str:
    """Escape for HTML element content and quoted attributes."""
    return html.escape(plain(value), quote=True)


def js_template_html(value: object) -> str:
    """Escape for HTML that ends up inside a JavaScript template literal (folium popups/tooltips)."""
    escaped = html_text(value)
    return "".join(_JS_TEMPLATE.get(ch, ch) for ch in escaped)


def markdown_text(value: object) -> str:
    """Escape for Streamlit Markdown so vendor text never renders as links, images or HTML."""
    text = plain(value).replace("\n", " ")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


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
    """True only for absolute http(s) URLs with a host (no javascript:, data:, relative paths)."""
    if not isinstance(value, str) or not value:
        return False
    text = value.strip()
    if _INVISIBLE.search(text) or any(ord(ch) < 0x21 for ch in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


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
