"""Messages of the buyer pages' kept state and place pickers (registered with govmap.i18n)."""

from govmap import i18n


def _m(ja: str, en: str) -> dict[str, str]:
    return {"ja": ja, "en": en}


MESSAGES = {
    "nav.unknown_path": _m("「/{path}」というページはありません。「地図で探す」を表示しています。",
                           "There is no page \"/{path}\"; showing Map and search instead."),
    "shortlist.note_help": _m("メモはリンク(URL)に保存され、再読み込み・ページ移動・共有したリンクでも残ります(最大 {n} 文字)。",
                              "The note is kept in the link (URL): it survives a reload, moving between pages and a shared link (up to {n} characters)."),
    "shortlist.full": _m("候補リストは最大 {n} 件です。先に他の組織を外してください。",
                         "The shortlist holds at most {n} organisations; remove one first."),
    "places.find": _m("市区町村を絞り込む(漢字・かな・ローマ字)", "Find a municipality (romaji, kana or kanji)"),
    "places.find_none": _m("「{q}」に一致する市区町村はありません。", "No municipality matches \"{q}\"."),
    "near.col.in_region": _m("同じ地方に本社がある提供組織(数)", "Offering, head office in the same region (number)"),
    "common.year_unknown": _m("不明", "unknown"),
}

i18n.register(MESSAGES)
