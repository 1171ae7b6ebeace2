"""Messages of issue 12's map popups, vendor descriptions and overview chart (registered with govmap.i18n)."""

from govmap import i18n


def _m(ja: str, en: str) -> dict[str, str]:
    return {"ja": ja, "en": en}


MESSAGES = {
    "map.vendor_link": _m("ベンダー詳細を開く", "Open vendor page"),
    "map.year_unknown": _m("年不明", "year unknown"),
    "vendor.description_en_only": _m("説明は英語のみ", "Description available in English only"),
    "home.axis.category": _m("カテゴリ", "Category"),
    "home.axis.organisations": _m("組織数", "Organisations"),
    "vendor.description_ja_only": _m("説明は日本語のみ", "Description available in Japanese only"),
}

i18n.register(MESSAGES)
