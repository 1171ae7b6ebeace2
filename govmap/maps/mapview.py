"""The map: organisations by head office, or adoptions by adopter, on an offline Leaflet map.

Plain Python (folium, no Streamlit).  Pages call ``build_map(...)`` and hand the result to
``st_folium(m, returned_objects=["last_object_clicked_popup"], ...)`` so that panning and zooming
do not rerun the page, then ``selected_org_id(returned)`` to learn which vendor was clicked.

* Offline: every script and stylesheet is served from ``/app/static/vendor`` (govmap/maps/mapassets.py,
  filled by ``python -m etl assets``); the bundled prefecture outline (data/boundaries) is always
  drawn; tiles are optional (setting ``map_tiles``).  No CDN is referenced.
* Scale: up to ``marker_limit`` organisations are drawn one by one (circle markers in a client-side
  cluster fed one compact JSON array); above it they are aggregated per municipality on the server
  (``aggregate_orgs``), so 100,000 organisations cost ~1,900 circles, not 100,000 markers
  (FIELD-NOTES "Map at scale").
* Escaping: every piece of vendor text in a popup or tooltip goes through
  ``escape.js_template_html`` and links through ``escape.html_link`` (FIELD-NOTES "Vendor text in
  folium is not escaped"); the strings then travel as JSON and are parsed with ``innerHTML``.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from urllib.parse import urlencode

import folium
import numpy as np
import pandas as pd

from govmap import escape, i18n, settings  # noqa: F401 (map_messages registers)
from govmap.finder import adoption_kinds
from govmap.maps import map_messages, mapassets

BOUNDARIES_PATH = mapassets.BOUNDARIES_PATH
JAPAN_CENTER = (36.6, 137.8)
JAPAN_ZOOM, MIN_ZOOM, MAX_ZOOM = 5, 4, 18
VENDOR_LIST_LIMIT = 10
JAPAN_BOUNDS = ((24.0, 122.9), (45.6, 146.0))   # Yonaguni/Ishigaki to Wakkanai/Nemuro
FIT_MAX_ZOOM = 10       # a single point is shown at city level, not street level
LABEL_PREF_ZOOM, LABEL_MUNI_ZOOM, LABEL_LIMIT = 5, 9, 150   # place labels (base_map)
GAZETTEER_DIR = mapassets.ROOT / "data" / "gazetteer"
TILES = {
    "gsi": ("https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png",
            '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>', 18),
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors', 19),
}

# A stable colour per category code (taxonomy order, most distinct colours first).
CATEGORY_COLORS: dict[str, str] = dict(zip(
    ["core_systems", "online_forms", "cashless", "counter_dx", "ocr_rpa", "chatbot_ai", "messaging", "gis",
     "open_data_bi", "disaster", "childcare_education", "health_welfare", "mobility", "tourism_furusato",
     "assembly_elections", "collaboration", "cloud_infra", "identity_security", "e_contract", "lowcode",
     "consulting_training", "web_cms", "back_office"],
    ["#0067A5", "#BE0032", "#F38400", "#008856", "#875692", "#F3C300", "#17BECF", "#E7298A", "#882D17",
     "#8DB600", "#604E97", "#A1CAF1", "#F99379", "#1B9E77", "#B3446C", "#DCD300", "#654522", "#E25822",
     "#2B3D26", "#C2B280", "#F6A600", "#E68FAC", "#5A5A8C"]))
OTHER_COLOR = "#777777"
ADOPTION_COLOR = "#C2410C"
_PALETTE = [*CATEGORY_COLORS.values(), OTHER_COLOR]
_PALETTE_INDEX = {code: i for i, code in enumerate(CATEGORY_COLORS)}

_TEXT = {
    "ja": {"type": "種別", "hq": "本社", "categories": "カテゴリ", "website": "Web", "orgs": "組織数",
           "top": "主なカテゴリ", "adoptions": "導入件数", "vendors": "ベンダー数", "more": "ほか{n}社",
           "sep": "、", "legend_orgs": "色 = 最初のカテゴリ", "legend_agg": "色 = 最も多いカテゴリ",
           "other": "その他", "size_orgs": "円の大きさ = 組織数", "size_adoptions": "円の大きさ = 導入件数",
           "aggregated": "{n}組織を市区町村ごとに集計(個別表示は{limit}件まで)"},
    "en": {"type": "Type", "hq": "Head office", "categories": "Categories", "website": "Web",
           "orgs": "Organisations", "top": "Main categories", "adoptions": "Adoptions", "vendors": "Vendors",
           "more": "and {n} more", "sep": ", ", "legend_orgs": "Colour = first category",
           "legend_agg": "Colour = most common category", "other": "Other",
           "size_orgs": "Circle size = organisations", "size_adoptions": "Circle size = adoptions",
           "aggregated": "{n} organisations aggregated per municipality (individual markers up to {limit})"},
}
_ID_AT_END = re.compile(r"ID:\s*([A-Za-z0-9][A-Za-z0-9_.\-]*)\s*$")
_ORG_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,100}$")  # as ui/state.py accepts in ?org= and ?sl=
VENDOR_PAGE = "vendor"  # the vendor page's url_path (ui/pages.py)


# Names other map modules use (govmap/lockin/analytics_map.py); the building blocks live in mapassets.
_js_json = mapassets.script_json
_Legend = mapassets.Legend
prefecture_boundaries = mapassets.prefecture_boundaries


def _base_map(center, zoom, tiles: str) -> folium.Map:
    return base_map(center, zoom, tiles)


def category_color(code: object) -> str:
    return CATEGORY_COLORS.get(str(code), OTHER_COLOR)


def _text(value: object) -> str:
    """Vendor text as str; None/NaN/NA become ''."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _as_list(value: object) -> list[str]:
    """Non-empty texts from a list or array; a lone string is one item; None/NaN give []."""
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        return [_text(value)] if _text(value) else []
    return [t for t in (_text(v) for v in value) if t]


def _categories(value: object) -> list[str]:
    """Category codes from a list, array, or 'a;b' string."""
    if isinstance(value, str):
        return [c.strip() for c in re.split(r"[;,]", value) if c.strip()]
    return _as_list(value)


def build_map(orgs: pd.DataFrame, adoptions: pd.DataFrame, *, layer: str = "orgs", lang: str = "ja",
              marker_limit: int | None = None, tiles: str | None = None,
              category_labels: dict[str, str] | None = None, center=None, zoom=None) -> folium.Map:
    """The map for one layer ('orgs' or 'adoptions') over the bundled prefecture outlines."""
    lang = lang if lang in _TEXT else "ja"
    tiles = str(settings.get("map_tiles") if tiles is None else tiles).strip().lower()
    limit = int(settings.get("map_marker_limit") if marker_limit is None else marker_limit)
    labels = dict(category_labels or {})
    if layer not in ("orgs", "adoptions"):
        raise ValueError(f"unknown map layer {layer!r} (expected 'orgs' or 'adoptions')")
    m = base_map(center, zoom, tiles, lang=lang)
    points = _located(adoptions if layer == "adoptions" else orgs)
    if layer == "adoptions":
        _add_adoptions(m, adoptions, lang)
    else:
        _add_orgs(m, orgs, limit, labels, lang)
    if center is None and zoom is None:  # the first view shows every point (Okinawa included)
        mapassets.FitBounds(data_bounds(points), max_zoom=FIT_MAX_ZOOM).add_to(m)
    return m


def data_bounds(points: pd.DataFrame) -> list[list[float]]:
    """[[south, west], [north, east]] of the located points; all of Japan (Okinawa to Hokkaido)
    when there are none."""
    located = _located(points)
    if located.empty:
        return [list(JAPAN_BOUNDS[0]), list(JAPAN_BOUNDS[1])]
    lat, lon = located["lat"].astype(float), located["lon"].astype(float)
    return [[round(lat.min(), 4), round(lon.min(), 4)], [round(lat.max(), 4), round(lon.max(), 4)]]


@lru_cache(maxsize=2)
def place_labels_json(lang: str) -> tuple[str, str]:
    """The place labels of the gazetteer as compact JSON for ``mapassets.PlaceLabels``: prefectures
    at their prefectural office, municipalities (not wards: most share their city's point) most
    populous first, each [lat, lon, name] with the name in ``lang`` only (romaji in English,
    govmap.places)."""
    from govmap.places import Places
    prefs = pd.read_parquet(GAZETTEER_DIR / "prefectures.parquet")
    munis = pd.read_parquet(GAZETTEER_DIR / "municipalities.parquet")
    places = Places(prefs, munis)
    pref_rows = [[round(float(r["lat"]), 2), round(float(r["lon"]), 2), places.prefecture(r["pref_name"], lang)]
                 for r in prefs.dropna(subset=["lat", "lon"]).to_dict("records")]
    towns = munis[(munis["kind"] != "ward")].dropna(subset=["lat", "lon"])
    towns = towns.assign(pop=towns["population"].fillna(0)).sort_values(["pop", "code"], ascending=[False, True])
    muni_rows = [[round(float(r["lat"]), 3), round(float(r["lon"]), 3), places.municipality(r["code"], lang)]
                 for r in towns.to_dict("records")]
    return mapassets.script_json(pref_rows), mapassets.script_json(muni_rows)


def base_map(center=None, zoom=None, tiles: str = "none", lang: str = "ja") -> folium.Map:
    """The offline base: vendored Leaflet, the prefecture outlines and optional tiles; without
    tiles also place names from the gazetteer in ``lang`` (prefectures, and municipalities from
    zoom ``LABEL_MUNI_ZOOM``)."""
    if tiles not in ("none", *TILES):
        raise ValueError(f"map_tiles must be 'none', 'gsi' or 'osm', not {tiles!r}")
    m = mapassets.OfflineMap(location=list(center or JAPAN_CENTER), zoom_start=JAPAN_ZOOM if zoom is None else zoom,
                   tiles=None, control_scale=True)
    # Without a tile layer Leaflet has no maxZoom, and marker clustering then throws (FIELD-NOTES).
    m.options.update(max_zoom=MAX_ZOOM, min_zoom=MIN_ZOOM)
    m.options.update(zoom_snap=0.25)  # fitting Okinawa to Hokkaido needs ~4.75, not a whole step out to 4
    mapassets.Setup().add_to(m)
    if tiles in TILES:
        url, attribution, max_native = TILES[tiles]
        folium.TileLayer(tiles=url, attr=attribution, name=tiles, max_zoom=MAX_ZOOM,
                         max_native_zoom=min(max_native, MAX_ZOOM), control=False).add_to(m)
    mapassets.Boundaries(filled=tiles == "none").add_to(m)
    if tiles == "none":  # tiles carry their own names
        prefs, munis = place_labels_json(lang if lang in _TEXT else "ja")
        mapassets.PlaceLabels(prefs, munis, pref_zoom=LABEL_PREF_ZOOM, muni_zoom=LABEL_MUNI_ZOOM,
                              max_labels=LABEL_LIMIT).add_to(m)
    return m


def _located(frame: pd.DataFrame | None) -> pd.DataFrame:
    if frame is None or frame.empty or not {"lat", "lon"} <= set(frame.columns):
        return pd.DataFrame(columns=["lat", "lon"])
    return frame.dropna(subset=["lat", "lon"])


def _add_orgs(m: folium.Map, orgs: pd.DataFrame, limit: int, labels: dict, lang: str) -> None:
    located = _located(orgs)
    if len(located) <= limit:
        rows = [_org_row(org, labels, lang) for org in located.to_dict("records")]
        mapassets.OrgCluster(rows, _PALETTE).add_to(m)
        firsts = pd.Series([(_categories(c) or [None])[0] for c in located.get("categories", [])], dtype=object)
        mapassets.Legend(_legend_html(firsts.value_counts(dropna=False), labels, lang, [_TEXT[lang]["legend_orgs"]])).add_to(m)
        return
    groups = aggregate_orgs(located)
    mapassets.Circles(_aggregate_rows(groups, labels, lang), name="places").add_to(m)
    text = _TEXT[lang]
    notes = [text["legend_agg"], text["size_orgs"], text["aggregated"].format(n=f"{len(located):,}", limit=f"{limit:,}")]
    weights = groups.groupby("top_category", dropna=False)["n_orgs"].sum().sort_values(ascending=False)
    mapassets.Legend(_legend_html(weights, labels, lang, notes)).add_to(m)


def _org_row(org: dict, labels: dict, lang: str) -> list:
    first = (_categories(org.get("categories")) or [None])[0]
    return [float(org["lat"]), float(org["lon"]), _PALETTE_INDEX.get(first, len(_PALETTE) - 1),
            org_tooltip_html(org, lang), org_popup_html(org, labels, lang)]


def _names(org: dict, lang: str) -> tuple[str, str]:
    ja, en = _text(org.get("name_ja")), _text(org.get("name_en"))
    primary, secondary = (en or ja, ja) if lang == "en" else (ja or en, en)
    return primary, "" if secondary == primary else secondary


def _org_type_label(value: str, lang: str) -> str:
    key = f"org_type.{value}"
    return i18n.t(key, lang) if key in i18n.MESSAGES else value


def org_tooltip_html(org: dict, lang: str = "ja") -> str:
    """Name and ID (the ID lets a tooltip return be mapped back to the organisation too)."""
    e = escape.js_template_html
    return f'<b>{e(_names(org, lang)[0])}</b><br><span class="govmap-id">ID: {e(_text(org.get("org_id")))}</span>'


def org_popup_html(org: dict, labels: dict[str, str], lang: str = "ja") -> str:
    """Popup of one organisation; the last line is ``ID: <org_id>`` (see selected_org_id)."""
    e, text = escape.js_template_html, _TEXT[lang]
    primary, secondary = _names(org, lang)
    lines = [f"<b>{e(primary)}</b>"] + ([e(secondary)] if secondary else [])
    if org_type := _text(org.get("org_type")):
        lines.append(f"{text['type']}: {e(_org_type_label(org_type, lang))}")
    if hq := _text(org.get("hq_label")):
        lines.append(f"{text['hq']}: {e(hq)}")
    if cats := _categories(org.get("categories")):
        lines.append(f"{text['categories']}: {e(text['sep'].join(labels.get(c, c) for c in cats))}")
    if site := _text(org.get("website")):
        lines.append(f"{text['website']}: {escape.html_link(site, site, for_js_template=True)}")
    if link := vendor_link_html(_text(org.get("org_id")), lang):
        lines.append(link)
    lines.append(f'<span class="govmap-id">ID: {e(_text(org.get("org_id")))}</span>')
    return '<div class="govmap-popup">' + "<br>".join(lines) + "</div>"


def vendor_href(org_id: str, lang: str = "ja") -> str | None:
    """The vendor page's link relative to the app's pages (``vendor?org=<id>``, ``&lang=en`` in
    English), or None for an ID that is not a catalog ID.  In the browser the map script resolves it
    against the app page around the map (st_folium's iframe is same-origin) and adds that page's
    ``sl`` and ``note`` (the shortlist and its note, ui/state.py) when the link is clicked."""
    if not _ORG_ID.match(org_id or ""):
        return None
    return VENDOR_PAGE + "?" + urlencode({"org": org_id, **({"lang": "en"} if lang == "en" else {})})


def vendor_link_html(org_id: str, lang: str = "ja") -> str:
    """The popup's link to the vendor page ('' for an invalid ID); opened in the app's own tab."""
    href = vendor_href(org_id, lang)
    if href is None:
        return ""
    e = escape.js_template_html
    return (f'<a class="govmap-vendor-link" href="{e(href)}" target="_parent">'
            f'{e(i18n.t("map.vendor_link", lang))}</a>')


def _point_keys(orgs: pd.DataFrame) -> pd.Series:
    return ("p:" + orgs["lat"].astype(float).round(2).astype(str) + ","
            + orgs["lon"].astype(float).round(2).astype(str))


def _place_keys(orgs: pd.DataFrame) -> pd.Series:
    """Municipality code where known, else the point rounded to ~1 km (points are municipality points)."""
    if "hq_municipality_code" not in orgs.columns:
        return _point_keys(orgs)
    code = orgs["hq_municipality_code"].astype("string").str.strip()
    known = (code.notna() & (code != "")).to_numpy(dtype=bool)
    keys = ("m:" + code).astype(object)
    if not known.all():  # points only where there is no code (most rows have one)
        keys[~known] = _point_keys(orgs[~known]).to_numpy(dtype=object)
    return keys.astype(str)


def _texts(values: pd.Series) -> pd.Series:
    """``_text`` over a column; vectorised when it holds only strings and missing values."""
    values = values.astype(object)
    if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
        return values.str.strip().where(values.notna(), "").astype(object)
    return values.map(_text)


def aggregate_orgs(orgs: pd.DataFrame) -> pd.DataFrame:
    """Located organisations counted per place: place_key, place, lat, lon, n_orgs, top_category,
    top_categories (list of (code, count), most common first, at most 3).  Largest places first."""
    located = _located(orgs)
    columns = ["place_key", "place", "lat", "lon", "n_orgs", "top_category", "top_categories"]
    if located.empty:
        return pd.DataFrame(columns=columns)
    keys = _place_keys(located)
    place = located["hq_label"] if "hq_label" in located.columns else pd.Series("", index=located.index)
    frame = pd.DataFrame({"place_key": keys.to_numpy(), "lat": located["lat"].astype(float).to_numpy(),
                          "lon": located["lon"].astype(float).to_numpy(),
                          "place": _texts(place).replace("", None).to_numpy()})
    out = frame.groupby("place_key", sort=False).agg(
        place=("place", "first"), lat=("lat", "mean"), lon=("lon", "mean"), n_orgs=("lat", "size"))
    top = _top_categories(keys, located.get("categories"))
    out["top_categories"] = [top.get(k, []) for k in out.index]
    out["top_category"] = [t[0][0] if t else None for t in out["top_categories"]]
    out["place"] = out["place"].fillna("")
    out = out.reset_index().sort_values("n_orgs", ascending=False, ignore_index=True)
    return out[columns]


def _top_categories(keys: pd.Series, categories: pd.Series | None, n: int = 3) -> dict:
    if categories is None:
        return {}
    values = categories.to_numpy(dtype=object)
    if all(isinstance(v, (list, tuple, np.ndarray)) for v in values):
        # Lists of codes (the catalog's shape): explode once, clean each distinct code once.
        pairs = pd.DataFrame({"k": keys.to_numpy(), "c": values}).explode("c")
        clean = {c: _text(c) for c in pd.unique(pairs["c"].dropna())}
        pairs["c"] = pairs["c"].map(clean).replace("", None)
    else:
        pairs = pd.DataFrame({"k": keys.to_numpy(), "c": categories.map(_categories).to_numpy()}).explode("c")
    counts = pairs.dropna().groupby(["k", "c"]).size().reset_index(name="n")
    counts = counts.sort_values(["k", "n", "c"], ascending=[True, False, True]).groupby("k").head(n)
    top: dict[str, list] = {}
    for key, code, count in counts.itertuples(index=False):
        top.setdefault(key, []).append((code, int(count)))
    return top


def _aggregate_rows(groups: pd.DataFrame, labels: dict, lang: str) -> list:
    e, text = escape.js_template_html, _TEXT[lang]
    biggest = max(int(groups["n_orgs"].max()), 1) if len(groups) else 1
    rows = []
    for g in groups.itertuples(index=False):
        place = e(g.place or f"{g.lat:.2f}, {g.lon:.2f}")
        tops = text["sep"].join(f"{labels.get(c, c)} ({n:,})" for c, n in g.top_categories)
        popup = (f'<div class="govmap-popup"><b>{place}</b><br>{text["orgs"]}: {g.n_orgs:,}'
                 + (f"<br>{text['top']}: {e(tops)}" if tops else "") + "</div>")
        radius = round(5 + 25 * math.sqrt(g.n_orgs / biggest), 1)
        rows.append([round(g.lat, 5), round(g.lon, 5), radius, category_color(g.top_category),
                     f"<b>{place}</b>: {g.n_orgs:,}", popup])
    return rows


def _add_adoptions(m: folium.Map, adoptions: pd.DataFrame, lang: str) -> None:
    points = _located(adoptions)
    rows = [_adoption_row(a, lang) for a in points.to_dict("records")]
    mapassets.Circles(rows, name="adoptions").add_to(m)
    mapassets.Legend(f'<i style="background:{ADOPTION_COLOR}"></i>{_TEXT[lang]["size_adoptions"]}').add_to(m)


def _count(value: object) -> int:
    return 0 if _text(value) == "" else int(value)


def adoption_popup_html(point: dict, lang: str = "ja") -> str:
    """Popup of one adopter: name, counts and, per vendor (at most VENDOR_LIST_LIMIT, then 'and N
    more'), its services with the year (``年不明`` / "year unknown" when the source gives none) and the
    kind of adoption (契約・導入, 協定・覚書, 実証・試行 ...) when known.

    ``point["adoptions"]``: [vendor, service, year] per adoption and ``point["kinds"]`` its kind, in the
    same order (govmap.finder.browse.adopter_points); without them the vendor names alone (``point["vendors"]``).
    Every part is escaped once, where the line is assembled below."""
    e, text = escape.js_template_html, _TEXT[lang]
    services: dict[str, list[str]] = {}
    items = _items(point.get("adoptions"))
    kinds = _items_or_none(point.get("kinds"), len(items))
    for item, kind in zip(items, kinds):
        vendor, service, year = (list(item) + [None, None, None])[:3]
        label = _text(service)
        when = str(int(year)) if _text(year) else i18n.t("map.year_unknown", lang)
        if _text(kind):
            when = f"{when} / {adoption_kinds.label(_text(kind), lang)}"
        services.setdefault(_text(vendor), []).append(f"{label} ({when})" if label else f"({when})")
    for vendor in _as_list(point.get("vendors")):
        services.setdefault(vendor, [])
    vendors = [v for v in services if v] + ([""] if "" in services else [])
    shown = []
    for vendor in vendors[:VENDOR_LIST_LIMIT]:
        name = e(vendor or i18n.t("common.unknown", lang))
        shown.append(f"・{name}" + (f" {e(text['sep'].join(dict.fromkeys(services[vendor])))}" if services[vendor] else ""))
    if len(vendors) > VENDOR_LIST_LIMIT:
        shown.append(e(text["more"].format(n=len(vendors) - VENDOR_LIST_LIMIT)))
    lines = [f"<b>{e(_text(point.get('adopter_name')))}</b>",
             f"{text['adoptions']}: {_count(point.get('n_adoptions')):,} / "
             f"{text['vendors']}: {_count(point.get('n_vendors')):,}", *shown]
    return '<div class="govmap-popup">' + "<br>".join(lines) + "</div>"


def _items(value: object) -> list:
    """The adoption items of a point ([] for None/NaN/a missing column)."""
    if value is None or isinstance(value, (str, float)):
        return []
    return [i for i in value if hasattr(i, "__iter__") and not isinstance(i, str)]


def _items_or_none(value: object, n: int) -> list:
    """The kinds of a point's adoptions, aligned with them (None where unknown or missing)."""
    kinds = [] if value is None or isinstance(value, (str, float)) else list(value)
    return (kinds + [None] * n)[:n]


def _adoption_row(point: dict, lang: str) -> list:
    n = _count(point.get("n_adoptions"))
    tooltip = f"<b>{escape.js_template_html(_text(point.get('adopter_name')))}</b>: {n:,}"
    return [float(point["lat"]), float(point["lon"]), round(min(28.0, 5 + 3 * math.sqrt(n)), 1),
            ADOPTION_COLOR, tooltip, adoption_popup_html(point, lang)]


def _legend_html(weights: pd.Series, labels: dict, lang: str, notes: list[str], top: int = 12) -> str:
    """Colour swatches for the heaviest categories (``weights``: code -> count), then the notes."""
    e, text = escape.js_template_html, _TEXT[lang]
    known = [c for c in weights.index if c in CATEGORY_COLORS]
    items = [f'<i style="background:{category_color(c)}"></i>{e(labels.get(c, c))}' for c in known[:top]]
    if len(known) > top or len(known) < len(weights):
        items.append(f'<i style="background:{OTHER_COLOR}"></i>{e(text["other"])}')
    return "<br>".join([*(f"<b>{e(n)}</b>" for n in notes[:1]), *items, *(e(n) for n in notes[1:])])


def map_payload_bytes(m: folium.Map) -> int:
    """Size of the complete rendered map page in bytes (what the browser has to take in)."""
    return len(m.get_root().render().encode("utf-8"))


def selected_org_id(st_folium_return: dict | None) -> str | None:
    """The org_id of the clicked organisation marker, from st_folium's return value.

    st_folium returns the clicked popup's ``innerText`` under ``last_object_clicked_popup`` (and
    the tooltip's text content under ``last_object_clicked_tooltip``).  Organisation popups and
    tooltips end with ``ID: <org_id>``; vendor text cannot spoof it because only the *last* line
    counts.  Aggregated places and adopters have no ID and give None.
    """
    if not isinstance(st_folium_return, dict):
        return None
    for key in ("last_object_clicked_popup", "last_object_clicked_tooltip"):
        value = st_folium_return.get(key)
        if isinstance(value, str) and (match := _ID_AT_END.search(value)):
            return match.group(1)
    return None
