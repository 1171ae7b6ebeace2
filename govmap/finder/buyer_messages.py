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
    # -- vendor page: names, contact, sourced facts (issue 14) --
    "vendor.legal_name": _m("商号(正式名称)", "Legal name"),
    "vendor.other_names": _m("旧名・別名", "Former and other names"),
    "vendor.contact": _m("問い合わせ窓口", "Contact page"),
    "vendor.service_price": _m("価格(出典の記載)", "Price (as the source states it)"),
    "vendor.service_price_page": _m("価格ページ", "Price page"),
    "fact.title": _m("出典付きの事実", "Sourced facts"),
    "fact.help": _m("組織と各サービスについて、出典で確認できた事実を出典URL・時点とともに示します。"
                    "「弱い出典」はまとめサイト・転載などで、一次情報での確認をお勧めします。"
                    "ここにない項目は不明であり、「なし」ではありません。",
                    "Each fact found for the organisation and its services, with its source and as-of date. "
                    "A \"weak source\" is an aggregator or a copy: check it against the original. "
                    "An item not listed here is unknown, not \"no\"."),
    "fact.none": _m("出典付きの事実はまだありません(不明であり、「なし」ではありません)。",
                    "No sourced fact yet (unknown, not \"none\")."),
    "fact.col.entity": _m("対象", "About"),
    "fact.col.field": _m("項目", "Item"),
    "fact.col.value": _m("内容", "Value"),
    "fact.col.as_of": _m("時点", "As of"),
    "fact.col.quality": _m("出典の種類", "Source type"),
    "fact.entity.organisation": _m("組織", "Organisation"),
    "fact.derived": _m("{name}(組織としての記載を適用)", "{name} (the organisation's statement)"),
    "fact.weak": _m("{label}(弱い出典)", "{label} (weak source)"),
    "fact.field.legal_name": _m("商号(正式名称)", "Legal name"),
    "fact.field.trade_name": _m("別名・ブランド名", "Trade name"),
    "fact.field.corporate_number": _m("法人番号", "Corporate number"),
    "fact.field.hq_address": _m("本社所在地", "Head office address"),
    "fact.field.hq_postal_code": _m("本社の郵便番号", "Head office postal code"),
    "fact.field.website": _m("Webサイト", "Website"),
    "fact.field.contact_url": _m("問い合わせ窓口", "Contact page"),
    "fact.field.product_name": _m("製品・サービス名", "Product name"),
    "fact.field.standard_compliant": _m("標準準拠(基幹20業務)", "Standard-compliant (20 core systems)"),
    "fact.field.lgwan_asp": _m("LGWAN-ASP", "LGWAN-ASP"),
    "fact.field.ismap": _m("ISMAP", "ISMAP"),
    "fact.field.ismap_liu": _m("ISMAP-LIU", "ISMAP-LIU"),
    "fact.field.isms": _m("ISMS (ISO 27001)", "ISMS (ISO 27001)"),
    "fact.field.privacy_mark": _m("プライバシーマーク", "Privacy Mark"),
    "fact.field.dmp_listed": _m("DMP掲載", "Listed on DMP"),
    "fact.field.data_in_japan": _m("データの国内保管", "Data stored in Japan"),
    "fact.field.has_api": _m("API", "API"),
    "fact.field.api_docs_url": _m("API仕様書", "API documentation"),
    "fact.field.open_export": _m("オープン形式での出力", "Export in open formats"),
    "fact.field.export_formats": _m("データ出力形式", "Data export formats"),
    "fact.field.is_oss": _m("オープンソース", "Open source"),
    "fact.field.price_band": _m("価格(出典の記載)", "Price (as stated)"),
    "fact.field.price_url": _m("価格ページ", "Price page"),
    "fact.why.is_oss": _m("オープンソースなら他社が保守を引き継げます。",
                          "With open source, another company can take over maintenance."),
    "col.adoption_kind": _m("実績の種類", "Kind"),
    "col.source_quality": _m("出典の種類", "Source type"),
    "col.as_of": _m("時点", "As of"),
    # -- market-share pages: which adoption kinds are counted (govmap/finder/adoption_kinds.py) --
    "kinds.all": _m("協定・実証・その他も含めて集計する", "Count every kind (agreements, pilots and other too)"),
    "kinds.all_help": _m("既定では、市場シェアとして契約・共同調達だけを数えます。協定・覚書や実証・試行は販売実績ではないためです。",
                         "By default only contracts and joint procurements count as market share: an agreement or a pilot is not a sale."),
    "kinds.market": _m("契約・共同調達のみを集計(協定・覚書、実証・試行、その他は含めていません)。",
                       "Counting contracts and joint procurements only (agreements, pilots and other kinds left out)."),
    "kinds.every": _m("すべての種類の導入実績を集計(契約・共同調達に加え、協定・覚書、実証・試行、その他を含む)。",
                      "Counting every kind of adoption: contracts, joint procurements, agreements, pilots and other."),
}

i18n.register(MESSAGES)
