"""How strong a source is, from its address: official government or municipal pages, filings,
the vendor's own site, the press, aggregators and mirrors.

Researched rows state their quality (data/research/README.md); seed rows are classified here by
domain.  ``WEAK`` qualities are reported by ``python -m etl validate`` and shown as such.
"""

from __future__ import annotations

from urllib.parse import urlsplit

QUALITIES = ("official_government", "official_municipal", "filing", "vendor", "press", "aggregator", "other", "seed")
WEAK = ("aggregator", "other")
RANK = {q: i for i, q in enumerate(("official_government", "filing", "official_municipal", "vendor", "press",
                                    "seed", "aggregator", "other"))}
LABELS = {
    "official_government": ("国・公的機関", "government"), "official_municipal": ("自治体", "municipality"),
    "filing": ("届出・登記", "filing"), "vendor": ("事業者", "vendor"), "press": ("報道・業界誌", "press"),
    "aggregator": ("まとめ・転載", "aggregator"), "other": ("その他", "other"), "seed": ("初期データ", "seed data"),
}
_MUNICIPAL = (".lg.jp",)
# Prefectures and municipalities that kept their older domains: www.pref.gunma.jp, www.city.chiba.jp,
# www2.pref.shizuoka.jp, www.city.naha.okinawa.jp, www.town.namie.fukushima.jp ...
_MUNICIPAL_LABELS = ("pref", "city", "town", "vill")
_GOVERNMENT = (".go.jp", "j-lis.go.jp", "ismap.go.jp")
_FILING = ("disclosure2.edinet-fsa.go.jp", "houjin-bangou.nta.go.jp", "info.gbiz.go.jp")
_PRESS = ("prtimes.jp", "nikkei.com", "impress.co.jp", "itmedia.co.jp", "jichitai.works", "govtechtokyo",
          "zdnet.com", "jiji.com", "kyodonewspr", "atpress.ne.jp", "newscast.jp", "gifu-np.co.jp", "chunichi",
          "asahi.com", "yomiuri", "mainichi", "sankei", "nhk.or.jp", "jichitai-tsushin", "bp-affairs.com")
_AGGREGATOR = ("github.com", "web.archive.org", "archive.ph", "note.com", "hatenablog", "ameblo", "wikipedia.org",
               "nyusatsu", "biz-maps", "baseconnect", "houjin.info", "coki.jp")


def host(url: object) -> str:
    try:
        return (urlsplit(str(url or "")).hostname or "").lower()
    except ValueError:
        return ""


def classify(url: object, vendor_website: object = None) -> str:
    """Quality of ``url`` by its domain; the vendor's own domain counts as vendor."""
    h = host(url)
    if not h:
        return "other"
    if any(h == d or h.endswith("." + d) for d in _FILING):
        return "filing"
    if h.endswith(_MUNICIPAL) or (h.endswith(".jp") and any(label in _MUNICIPAL_LABELS for label in h.split(".")[:2])):
        return "official_municipal"
    if h.endswith(_GOVERNMENT) or h.endswith(".go.jp"):
        return "official_government"
    own = host(vendor_website)
    if own and (h == own or h.endswith("." + own.removeprefix("www.")) or own.endswith("." + h.removeprefix("www."))):
        return "vendor"
    if any(p in h for p in _PRESS):
        return "press"
    if any(a in h for a in _AGGREGATOR):
        return "aggregator"
    return "other"


def label(quality: str, lang: str = "ja") -> str:
    ja, en = LABELS.get(quality, (quality, quality))
    return ja if lang == "ja" else en


def reconcile(stated: object, url: object, vendor_website: object = None) -> str:
    """The quality a row states, unless its address is plainly an official one (a researcher marked a
    prefecture's older domain as 'other'): then official."""
    found = classify(url, vendor_website)
    if not stated:
        return found
    if stated in WEAK and found in ("official_government", "official_municipal", "filing"):
        return found
    return str(stated)
