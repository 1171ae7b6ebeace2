"""Side by side comparison of 2–4 vendors and the reviewer-readable shortlist export (issue 12).

Plain Python over the Browser's frames and the catalog; pages/compare.py and pages/shortlist.py are
thin layers over it, and their exports are made from the same rows the pages show.

What is shown per vendor: names, type, head office, categories, products/services, offering
keywords, every item of the exit / lock-in profile (govmap/finder/openness.py) and every certification
the catalog knows, the adoption count and the nearest adopters (to a chosen municipality, else the
most recent), an openness summary, and the organisation's sources with their as-of date.

Sources: the catalog keeps a source per certification and per adoption; profile items are
supported by the organisation's sources (there is no per-service source) and dated by the
service's ``last_verified`` where it has one.  Unknown is a value of its own: 不明 / unknown,
never "no" (a vendor without a certification row is *unknown*, not "not certified").
Values are plain text; callers escape them for their output (escape.markdown_text on the page,
escape.csv_cell in exports).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from govmap import i18n
from govmap.finder import openness

MIN_VENDORS, MAX_VENDORS = 2, 4
N_ADOPTERS = 5
CERTIFICATIONS = ("isms", "privacy_mark", "ismap", "ismap_liu", "lgwan_asp", "dmp")
SERVICES_SQL = """SELECT * FROM v_services WHERE org_id IN (SELECT unnest(?::VARCHAR[]))
                  ORDER BY org_id, service_id"""
CERTS_SQL = """SELECT c.org_id, c.certification, c.scope, c.last_verified, s.url FROM certifications c
               LEFT JOIN sources s USING (source_id) WHERE c.org_id IN (SELECT unnest(?::VARCHAR[]))
               ORDER BY c.org_id, c.certification, s.url"""


def _m(ja: str, en: str) -> dict[str, str]:
    return {"ja": ja, "en": en}


MESSAGES = {
    "nav.compare": _m("比較", "Compare"),
    "cmp.title": _m("ベンダー比較", "Compare vendors"),
    "cmp.intro": _m("2〜4 社を並べて比較します(初期値は候補リスト)。「不明」は情報がないという意味で、「なし」ではありません。",
                    "Compare 2–4 vendors side by side (the shortlist by default). \"unknown\" means the catalog has no information, not \"no\"."),
    "cmp.pick": _m("比較する組織(2〜4 社)", "Organisations to compare (2–4)"),
    "cmp.too_few": _m("比較するには 2 社以上を選んでください。", "Choose at least two organisations to compare."),
    "cmp.too_many": _m("比較できるのは最大 {n} 社です。先頭の {n} 社を表示しています。",
                       "At most {n} organisations can be compared; showing the first {n}."),
    "cmp.muni_help": _m("市区町村を選ぶと、各社の導入団体をその市区町村から近い順に表示します。",
                        "Choose a municipality to list each vendor's adopters nearest to it first."),
    "cmp.open_vendor": _m("ベンダー詳細", "Vendor page"),
    "cmp.item": _m("項目", "Item"),
    "cmp.name": _m("名称", "Name"),
    "cmp.services": _m("製品・サービス", "Products / services"),
    "cmp.offerings": _m("提供内容", "Offerings"),
    "cmp.n_adoptions": _m("導入実績数", "Adoptions"),
    "cmp.adopters_near": _m("近い導入団体({place}から)", "Nearest adopters (from {place})"),
    "cmp.adopters": _m("主な導入団体(新しい順)", "Adopters (most recent first)"),
    "cmp.openness": _m("ロックイン・出口情報の判明状況", "Exit / lock-in facts known"),
    "cmp.openness_value": _m("{total} 項目中 {known} 項目判明(うち「あり」{yes})、不明 {unknown}",
                             "{known} of {total} items known ({yes} yes), {unknown} unknown"),
    "cmp.cert": _m("認証: {name}", "Certification: {name}"),
    "cmp.cert_value": _m("あり{scope}(出典: {url}、確認: {when})", "yes{scope} (source: {url}, checked {when})"),
    "cmp.as_of": _m("(確認: {when})", " (as of {when})"),
    "cmp.sources": _m("出典", "Sources"),
    "cmp.verified": _m("確認日", "Last checked"),
    "cmp.profile_source": _m("ロックイン・出口の各項目は組織の出典に基づきます(サービスごとの出典はカタログにありません)。",
                             "Exit / lock-in items rest on the organisation's sources (the catalog has no per-service source)."),
    "cmp.adopter_year": _m("{year}年", "{year}"),
    "cmp.km": _m("{km} km", "{km} km"),
    "cert.isms": _m("ISMS (ISO 27001)", "ISMS (ISO 27001)"),
    "cert.privacy_mark": _m("プライバシーマーク", "Privacy Mark"),
    "cert.ismap": _m("ISMAP", "ISMAP"),
    "cert.ismap_liu": _m("ISMAP-LIU", "ISMAP-LIU"),
    "cert.lgwan_asp": _m("LGWAN-ASP", "LGWAN-ASP"),
    "cert.dmp": _m("DMP掲載", "Listed on DMP"),
    "rev.col.lockin": _m("ロックイン・出口の情報(不明を含む全項目)", "Exit / lock-in facts (every item, unknown included)"),
    "rev.col.certifications": _m("認証(出典)", "Certifications (sources)"),
    "rev.col.adopters": _m("主な導入団体", "Some adopters"),
    "rev.document": _m("文書", "Document"),
    "rev.shortlist": _m("候補リスト(選定理由の資料)", "Shortlist (selection rationale)"),
    "rev.comparison": _m("ベンダー比較", "Vendor comparison"),
    "rev.note": _m("選定理由メモ", "Selection note"),
    "rev.search": _m("この候補を出した検索", "Search that produced it"),
    "rev.query": _m("検索語", "Search words"),
    "rev.none": _m("(なし)", "(none)"),
    "rev.exported": _m("出力日", "Exported on"),
    "rev.catalog": _m("カタログ版", "Catalog build"),
    "rev.about": _m("出典", "About"),
    "rev.about_value": _m("Govtech ベンダーマップ。各行の出典URLを参照。「不明」は情報なしの意味で「なし」ではありません。",
                          "Govtech vendor capability map; see each row's source URLs. \"unknown\" means no information, not \"no\"."),
    "print.toggle": _m("印刷用表示(表を全行表示し、サイドバーを隠して印刷)", "Printable view (full tables; the sidebar is not printed)"),
    "print.hint": _m("ブラウザの印刷(Ctrl+P / ⌘P)で印刷・PDF保存できます。", "Print or save as PDF with the browser's print (Ctrl+P / ⌘P)."),
}
i18n.register(MESSAGES)


def parse_ids(text: object, known) -> list[str]:
    """Organisation ids from ``cmp=a,b,c``: known ones only, each once, at most MAX_VENDORS."""
    values = [v.strip() for v in str(text or "").split(",")]
    return [v for v in dict.fromkeys(values) if v and v in known][:MAX_VENDORS]


def _unknown(lang: str) -> str:
    return "不明" if lang == "ja" else "unknown"  # as govmap/finder/openness.py shows it


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _texts(value) -> list[str]:
    if isinstance(value, (list, tuple, np.ndarray)):
        return [str(v) for v in value if not _missing(v) and str(v)]
    return [] if _missing(value) or not str(value) else [str(value)]


@dataclass
class Vendor:
    """One vendor's facts as plain text in one language (see the module doc)."""
    org_id: str
    name_ja: str
    name_en: str
    org_type: str
    hq: str
    categories: list[str]
    services: list[str]
    offerings: list[str]
    n_adoptions: int
    adopters: list[str]
    profile: dict[str, str] = field(default_factory=dict)        # openness.ITEMS column -> value
    profile_counts: dict[str, int] = field(default_factory=dict)  # known, yes, unknown, total
    certifications: dict[str, str] = field(default_factory=dict)  # code -> value with source and date
    sources: list[str] = field(default_factory=list)
    last_verified: str = ""


def _profile_value(item: openness.Item, services: list[dict], lang: str) -> str:
    """The item over a vendor's services: one value when they agree, else per service; known values
    carry the service's as-of date where the catalog has one."""
    if not services:
        return _unknown(lang)
    parts = []
    for service in services:
        value = service.get(item.column)
        text = openness.value_label(item, value, lang)
        when = service.get("last_verified")
        if not _missing(value) and isinstance(when, str) and when:
            text += i18n.t("cmp.as_of", lang, when=when)
        parts.append((service.get("name_ja") if isinstance(service.get("name_ja"), str) else "", text))
    if len({text for _, text in parts}) == 1:
        return parts[0][1]
    return "; ".join(f"{name}: {text}" if name else text for name, text in parts)


def _profile_counts(services: list[dict]) -> dict[str, int]:
    total = len(openness.ITEMS)
    known = yes = 0
    for item in openness.ITEMS:
        values = [s.get(item.column) for s in services if not _missing(s.get(item.column))]
        if values:
            known += 1
            yes += any(v is True or (item.kind != "bool" and v) for v in values)
    return {"total": total, "known": known, "yes": int(yes), "unknown": total - known}


def _adopters(browser, org_id: str, lang: str, home: dict | None, n: int) -> list[str]:
    rows = browser.adoptions_of([org_id])
    if rows.empty:
        return []
    rows = rows.assign(_year=pd.to_numeric(rows["year"], errors="coerce"))
    if home is not None and not _missing(home.get("lat")):
        from govmap.lockin.analytics import haversine_km
        distance = haversine_km(home["lat"], home["lon"], rows["lat"].astype(float), rows["lon"].astype(float))
        # National bodies sit at 千代田区 by convention: that point says nothing about proximity.
        distance = np.where(rows["adopter_kind"].eq("national").to_numpy(), np.nan, distance)
        rows = rows.assign(_km=distance).sort_values(["_km", "adopter_name"], na_position="last", kind="mergesort")
    else:
        rows = rows.assign(_km=np.nan).sort_values(["_year", "adopter_name"], ascending=[False, True],
                                                   na_position="last", kind="mergesort")
    out = []
    for row in rows.head(n).to_dict("records"):
        label = browser.places.adopter(row["adopter_name"], row["adopter_code"], lang)
        extra = []
        if not _missing(row["_year"]):
            extra.append(i18n.t("cmp.adopter_year", lang, year=int(row["_year"])))
        if not _missing(row["_km"]):
            extra.append(i18n.t("cmp.km", lang, km=f"{row['_km']:,.0f}"))
        if isinstance(row.get("service_name"), str) and row["service_name"]:
            extra.insert(0, row["service_name"])
        out.append(f"{label} ({', '.join(extra)})" if extra else label)
    return out


def vendors(browser, catalog, org_ids: list[str], lang: str, home: dict | None = None,
            n_adopters: int = N_ADOPTERS) -> list[Vendor]:
    """The facts of each given organisation (unknown ids left out), in the given order."""
    org_ids = [i for i in dict.fromkeys(org_ids) if i in browser.row_of]
    services = catalog.frame(SERVICES_SQL, [org_ids]) if org_ids else pd.DataFrame(columns=["org_id"])
    certs = catalog.frame(CERTS_SQL, [org_ids]) if org_ids else pd.DataFrame(columns=["org_id"])
    labels = browser.category_labels(lang)
    out = []
    for org_id in org_ids:
        org = browser.org(org_id)
        mine = services[services["org_id"] == org_id].to_dict("records")
        offerings = _texts(org["offerings_ja"] if lang == "ja" or not len(_texts(org["offerings_en"]))
                           else org["offerings_en"])
        names = [s["name_ja"] if isinstance(s.get("name_ja"), str) else s.get("name_en") for s in mine]
        vendor = Vendor(
            org_id=org_id, name_ja=str(org["name_ja"]),
            name_en=org["name_en"] if isinstance(org["name_en"], str) else "",
            org_type=i18n.t(f"org_type.{org['org_type']}", lang) if isinstance(org["org_type"], str) else _unknown(lang),
            hq=browser.places.hq_label(org.get("hq_pref_name"), org.get("hq_municipality_name"),
                                       org.get("hq_municipality_code"), lang) or _unknown(lang),
            categories=[labels.get(c, c) for c in _texts(org["categories"])],
            services=[n for n in names if isinstance(n, str) and n], offerings=offerings,
            n_adoptions=int(org["n_adoptions"]) if not _missing(org["n_adoptions"]) else 0,
            adopters=_adopters(browser, org_id, lang, home, n_adopters),
            sources=_texts(org["source_urls"]),
            last_verified=org["last_verified"] if isinstance(org["last_verified"], str) else "",
        )
        vendor.profile = {i.column: _profile_value(i, mine, lang) for i in openness.ITEMS}
        vendor.profile_counts = _profile_counts(mine)
        my_certs = certs[certs["org_id"] == org_id]
        for code in CERTIFICATIONS:
            rows = my_certs[my_certs["certification"] == code].to_dict("records")
            if not rows:
                vendor.certifications[code] = _unknown(lang)
                continue
            vendor.certifications[code] = "; ".join(i18n.t(
                "cmp.cert_value", lang,
                scope=f" ({r['scope']})" if isinstance(r.get("scope"), str) and r["scope"] else "",
                url=r["url"] if isinstance(r.get("url"), str) else _unknown(lang),
                when=r["last_verified"] if isinstance(r.get("last_verified"), str) else _unknown(lang)) for r in rows)
        out.append(vendor)
    return out


def _item_label(item: openness.Item, lang: str) -> str:
    return item.ja if lang == "ja" else item.en


def _openness_text(v: Vendor, lang: str) -> str:
    return i18n.t("cmp.openness_value", lang, **v.profile_counts)


def _join(values: list[str], lang: str, sep: str = " / ") -> str:
    return sep.join(values) if values else _unknown(lang)


def comparison_frame(vs: list[Vendor], lang: str, place: str | None = None) -> pd.DataFrame:
    """Items down, vendors across (the table a buyer pastes into 選定理由); every cell plain text."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    rows: list[tuple[str, list[str]]] = [
        (t("cmp.name"), [v.name_ja for v in vs]),
        (t("col.name_en"), [v.name_en or _unknown(lang) for v in vs]),
        (t("col.type"), [v.org_type for v in vs]),
        (t("col.hq"), [v.hq for v in vs]),
        (t("col.categories"), [_join(v.categories, lang) for v in vs]),
        (t("cmp.services"), [_join(v.services, lang) for v in vs]),
        (t("cmp.offerings"), [_join(v.offerings, lang) for v in vs]),
        (t("cmp.n_adoptions"), [str(v.n_adoptions) for v in vs]),
        (t("cmp.adopters_near", place=place) if place else t("cmp.adopters"),
         [_join(v.adopters, lang, "; ") if v.adopters else "—" for v in vs]),
        (t("cmp.openness"), [_openness_text(v, lang) for v in vs]),
    ]
    rows += [(_item_label(i, lang), [v.profile[i.column] for v in vs]) for i in openness.ITEMS]
    rows += [(t("cmp.cert", name=t(f"cert.{c}")), [v.certifications[c] for v in vs]) for c in CERTIFICATIONS]
    rows += [(t("cmp.sources"), [_join(v.sources, lang, "; ") for v in vs]),
             (t("cmp.verified"), [v.last_verified or _unknown(lang) for v in vs])]
    headers = _headers(vs)
    frame = pd.DataFrame({t("cmp.item"): [label for label, _ in rows]})
    for n, header in enumerate(headers):
        frame[header] = [values[n] for _, values in rows]
    return frame


def _headers(vs: list[Vendor]) -> list[str]:
    """Column headers: the vendor's name, with its id when two names are equal."""
    names = [v.name_ja for v in vs]
    return [f"{v.name_ja} ({v.org_id})" if names.count(v.name_ja) > 1 else v.name_ja for v in vs]


def review_frame(vs: list[Vendor], lang: str) -> pd.DataFrame:
    """The shortlist as a reviewer reads it: one row per vendor, facts with their sources."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    return pd.DataFrame({
        t("col.name"): [v.name_ja for v in vs],
        t("col.name_en"): [v.name_en for v in vs],
        t("col.type"): [v.org_type for v in vs],
        t("col.hq"): [v.hq for v in vs],
        t("col.categories"): [" / ".join(v.categories) for v in vs],
        t("cmp.services"): [" / ".join(v.services) for v in vs],
        t("cmp.offerings"): [" / ".join(v.offerings) for v in vs],
        t("cmp.n_adoptions"): [v.n_adoptions for v in vs],
        t("rev.col.adopters"): ["; ".join(v.adopters) for v in vs],
        t("cmp.openness"): [_openness_text(v, lang) for v in vs],
        t("rev.col.lockin"): ["; ".join(f"{_item_label(i, lang)}: {v.profile[i.column]}" for i in openness.ITEMS)
                              for v in vs],
        t("rev.col.certifications"): ["; ".join(f"{t('cert.' + c)}: {v.certifications[c]}" for c in CERTIFICATIONS)
                                      for v in vs],
        t("cmp.sources"): ["; ".join(v.sources) for v in vs],
        t("cmp.verified"): [v.last_verified or _unknown(lang) for v in vs],
        "org_id": [v.org_id for v in vs],
    })


def describe_search(query: str, filters: dict, lang: str, category_labels: dict[str, str], places=None) -> str:
    """The search behind a shortlist in words (検索語: …; カテゴリ: …), not internal codes."""
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    parts = []
    if query:
        parts.append(f"{t('rev.query')}: {query}")
    named = {
        "cat": (t("facet.categories"), lambda c: category_labels.get(c, c)),
        "region": (t("facet.regions"), lambda r: places.region(r, lang) if places else r),
        "pref": (t("facet.prefectures"), lambda p: places.prefecture(p, lang) if places else p),
        "type": (t("facet.org_types"), lambda o: t(f"org_type.{o}")),
        "flags": (t("facet.flags"), lambda f: t(f"flag.{f}")),
    }
    for key, (label, name) in named.items():
        values = filters.get(key) or []
        if values:
            parts.append(f"{label}: {', '.join(name(v) for v in values)}")
    if filters.get("adopted"):
        parts.append(t("facet.has_adoptions"))
    if filters.get("loc") in ("located", "unlocated"):
        parts.append(f"{t('facet.location')}: {t('facet.location.' + filters['loc'])}")
    return "; ".join(parts)


def stamp(meta: dict, lang: str, document: str, *, note: str | None = None, search: str | None = None,
          now=None) -> list[tuple[str, str]]:
    """The lines above a reviewer document: what it is, the search and the note each in its own field,
    the export date and the catalog build."""
    from datetime import datetime, timezone
    now = now or datetime.now(timezone.utc)
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    lines = [(t("rev.document"), document)]
    if search is not None:
        lines.append((t("rev.search"), search or t("rev.none")))
    if note is not None:
        lines.append((t("rev.note"), note or t("rev.none")))
    lines += [
        (t("rev.exported"), now.date().isoformat()),
        (t("rev.catalog"), f"{meta.get('built_at', '?')} (inputs {str(meta.get('inputs_sha256', '?'))[:12]}"
                           f"{', SYNTHETIC' if meta.get('synthetic') == 'true' else ''})"),
        (t("rev.about"), t("rev.about_value")),
    ]
    return lines
