"""The exit / lock-in profile: which facts matter for leaving a vendor later, and why.

Unknown is a value of its own: it is shown as 不明 / unknown and counted as such, never as "no".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Item:
    column: str
    kind: str      # bool | text | url
    ja: str
    en: str
    why_ja: str
    why_en: str


ITEMS: tuple[Item, ...] = (
    Item("export_formats", "text", "データ出力形式", "Data export formats",
         "CSV等で自分たちのデータを取り出せれば、乗り換え時の移行費用が下がります。",
         "If you can get your data out (CSV etc.), moving to another vendor costs less."),
    Item("open_export", "bool", "オープン形式での出力", "Export in open formats",
         "公開仕様の形式なら他社システムへそのまま移せます。", "Open, documented formats load into other systems."),
    Item("exit_extraction", "text", "契約終了時のデータ引き渡し", "End-of-contract data hand-over",
         "契約終了時の引き渡し方法が決まっていないと、移行が交渉次第になります。",
         "Without an agreed hand-over, leaving depends on negotiation."),
    Item("exit_cost", "text", "データ引き渡しの費用", "Cost of data extraction",
         "高額な抽出費用は事実上の囲い込みになります。", "Expensive extraction is lock-in in practice."),
    Item("has_api", "bool", "API", "API",
         "APIがあれば他システム連携や段階的な移行ができます。", "An API allows integration and gradual migration."),
    Item("api_docs_url", "url", "API仕様書", "API documentation",
         "公開された仕様書は他社でも連携を作れることを意味します。", "Public docs mean others can build integrations too."),
    Item("open_standards", "text", "対応するオープン標準", "Open standards",
         "標準に沿ったデータは複数ベンダーで扱えます。", "Standard data can be handled by several vendors."),
    Item("oss_license", "text", "OSSライセンス", "Open-source licence",
         "オープンソースなら他社が保守を引き継げます。", "With open source, another company can take over maintenance."),
    Item("oss_repo_url", "url", "ソースコード公開先", "Source repository",
         "コードが公開されていれば実態を確認できます。", "Public code can be inspected."),
    Item("developer_role", "text", "開発元/販売代理", "Developer or reseller",
         "販売代理の場合、製品の将来は開発元次第です。", "A reseller depends on the developer's roadmap."),
    Item("standard_compliant", "bool", "標準準拠(基幹20業務)", "Standard-compliant (20 core systems)",
         "標準準拠システムは法令上の移行先として互換性が担保されます。",
         "Standard-compliant systems are interchangeable by design."),
    Item("lgwan_asp", "bool", "LGWAN-ASP", "LGWAN-ASP",
         "LGWAN上で使えるかは自治体の導入可否に直結します。", "Whether it runs on LGWAN decides if many municipalities can use it."),
    Item("ismap", "bool", "ISMAP", "ISMAP",
         "政府のクラウド調達ではISMAP登録が前提になることがあります。", "Government cloud procurement may require ISMAP."),
    Item("ismap_liu", "bool", "ISMAP-LIU", "ISMAP-LIU", "低リスク用途のSaaS向けの登録です。",
         "The register for low-impact SaaS."),
    Item("isms", "bool", "ISMS (ISO 27001)", "ISMS (ISO 27001)", "情報セキュリティ管理の第三者認証です。",
         "Third-party certified security management."),
    Item("privacy_mark", "bool", "プライバシーマーク", "Privacy Mark", "個人情報保護体制の第三者認証です。",
         "Third-party certified personal data protection."),
    Item("dmp_listed", "bool", "DMP掲載", "Listed on DMP", "デジタル庁のマーケットプレイスから調達しやすくなります。",
         "Easier to procure through the Digital Agency's marketplace."),
    Item("data_in_japan", "bool", "データの国内保管", "Data stored in Japan",
         "国内保管は多くの自治体の要件です。", "Many municipalities require data to stay in Japan."),
)


def value_label(item: Item, value, lang: str) -> str:
    """Display value; None/NaN is 'unknown', never 'no'."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "不明" if lang == "ja" else "unknown"
    if item.kind == "bool":
        return ("あり" if value else "なし") if lang == "ja" else ("yes" if value else "no")
    return str(value)


def profile_table(service: dict, lang: str) -> pd.DataFrame:
    """One row per profile item: label, value (unknown shown as such), and why it matters."""
    return pd.DataFrame({
        "item": [i.ja if lang == "ja" else i.en for i in ITEMS],
        "value": [value_label(i, service.get(i.column), lang) for i in ITEMS],
        "why": [i.why_ja if lang == "ja" else i.why_en for i in ITEMS],
    })


def known_counts(services: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Per item: how many services are known yes / known no (or given) / unknown."""
    out = {}
    for item in ITEMS:
        col = services[item.column] if item.column in services else pd.Series([None] * len(services))
        unknown = int(col.isna().sum())
        yes = int((col == True).sum()) if item.kind == "bool" else int(col.notna().sum())  # noqa: E712
        out[item.column] = {"yes": yes, "no": len(col) - unknown - yes, "unknown": unknown}
    return out
