"""基幹業務・標準化: supply (conformant packages and their vendors) and demand (each municipality's
progress and 特定移行支援 業務), read from the catalog's std_* tables and views (etl/standardisation.py).

Plain Python, no Streamlit: the page (pages/core_systems.py) reads inputs, calls these functions and
renders.  Every figure carries the as-of date of its dataset (``as_of``); the package list is partial
(the page says "at least").

Alternatives for (municipality, 業務) are only vendors with a conformant package for that 業務,
ranked by ``ALT_SORT``: core-systems adoptions within ``radius_km`` of the municipality, then any
adoption nearby, then openness facts known yes, then the distance to the vendor's nearest adopter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from govmap import i18n
from govmap.lockin.analytics import OPENNESS_FLAGS, haversine_km, openness_counts
from govmap.finder.catalog import Catalog

METRICS = ("overall", "gyomu", "tokutei")
CATEGORY = "core_systems"
SIMILAR_FACTOR = 2.0  # similar-sized: population within ÷2 .. ×2
ALT_SORT = (("nearby_core", False), ("nearby_any", False), ("open_yes", False), ("nearest_km", True), ("org_id", True))
# Progress classes (upper bound inclusive, as a share) and 特定移行支援 count classes; light = worse.
RATE_BINS = (0.5, 0.7, 0.85, 0.9999, 1.0)
RATE_COLORS = ("#d73027", "#fc8d59", "#fee08b", "#91cf60", "#1a9850")
RATE_LABELS = ("< 50%", "50–70%", "70–85%", "85–99%", "100%")
TOKUTEI_BINS = (0, 5, 10, 15, 21)
TOKUTEI_COLORS = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
TOKUTEI_LABELS = ("0", "1–5", "6–10", "11–15", "16–21")
ONE_GYOMU_TOKUTEI_LABELS = ("—", "特定移行支援 / on the list")


@dataclass(frozen=True)
class Source:
    dataset: str
    title_ja: str
    title_en: str
    publisher: str
    source_url: str
    as_of: str

    def label(self, lang: str) -> str:
        return self.title_ja if lang == "ja" else self.title_en


def age_months(as_of: str, today) -> int:
    """Whole months between an as-of date (YYYY-MM or YYYY-MM-DD) and ``today``."""
    year, month = int(as_of[:4]), int(as_of[5:7])
    return max(0, (today.year - year) * 12 + today.month - month)


def classify(value, bins) -> int | None:
    """Index of the first class whose upper bound holds the value; None for missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    for i, upper in enumerate(bins):
        if value <= upper:
            return i
    return len(bins) - 1


class CoreSystems:
    """The standardisation figures of one catalog build (a few thousand rows, held in memory)."""

    def __init__(self, catalog: Catalog):
        f = catalog.frame
        self.gyomu = f("SELECT code, name_ja, name_en, sort_order, is_common FROM gyomu ORDER BY sort_order")
        self.sources = {r["dataset"]: Source(**{k: r[k] for k in Source.__dataclass_fields__})
                        for r in f("SELECT * FROM std_sources").to_dict("records")}
        self.munis = f("""SELECT code, municipality_name, pref_code, pref_name, kind, population, lat, lon, overall_rate,
                                 n_tokutei FROM v_std_municipalities WHERE code IS NOT NULL ORDER BY code""").set_index("code", drop=False)
        self.labels = (self.munis["pref_name"] + " " + self.munis["municipality_name"]).to_dict()
        self.progress = f("SELECT code, gyomu, rate, tokutei FROM v_std_progress WHERE code IS NOT NULL")
        self.tokutei = f("SELECT code, municipality_code, body_name, pref_name, body_type, gyomu FROM std_tokutei")
        self.packages = f("""SELECT entry_no, org_id, org_name_ja, package_name, function_name, gyomu, conformance_no,
                                    conformant, confirmed_date FROM v_std_packages ORDER BY entry_no, org_id""")
        self.supply = f("SELECT * FROM v_gyomu_supply ORDER BY sort_order")
        flags = ", ".join(OPENNESS_FLAGS)
        self.vendors = f(f"""SELECT org_id, name_ja, name_en, corporate_number, hq_pref_name, hq_municipality_name,
                                    lat, lon, website, n_adoptions, {flags}
                             FROM v_organisations WHERE org_id IN (SELECT org_id FROM std_vendors) ORDER BY org_id""")
        self.vendors = pd.concat([self.vendors, openness_counts(self.vendors)], axis=1).set_index("org_id", drop=False)
        self.adoptions = f("""SELECT org_id, adopter_name, adopter_kind, adopter_code, adopter_pref_code, adopter_pref_name,
                                     category, service_name, year, lat, lon, source_url
                              FROM v_adoptions WHERE org_id IN (SELECT org_id FROM std_vendors)
                              ORDER BY org_id, adopter_name""")

    # -- labels -------------------------------------------------------------------------------
    def gyomu_codes(self, with_common: bool = True) -> list[str]:
        return [c for c, common in zip(self.gyomu["code"], self.gyomu["is_common"]) if with_common or not common]

    def gyomu_label(self, code: str, lang: str) -> str:
        row = self.gyomu[self.gyomu["code"] == code]
        return code if row.empty else str(row.iloc[0]["name_ja" if lang == "ja" else "name_en"])

    def municipality_label(self, code: str) -> str:
        return self.labels.get(code, code)

    # -- national view ------------------------------------------------------------------------
    def values(self, metric: str, gyomu: str | None = None) -> pd.Series:
        """code → value: overall rate, the rate of one 業務, or 特定移行支援 業務 (count, or 0/1 for one 業務)."""
        if metric == "overall":
            return self.munis["overall_rate"]
        if metric == "gyomu":
            rows = self.progress[self.progress["gyomu"] == gyomu]
            return rows.set_index("code")["rate"].reindex(self.munis.index)
        if metric == "tokutei":
            if gyomu:
                listed = set(self.tokutei.loc[self.tokutei["gyomu"] == gyomu, "municipality_code"].dropna())
                return pd.Series([int(c in listed) for c in self.munis.index], index=self.munis.index)
            return self.munis["n_tokutei"].astype(int)
        raise ValueError(f"unknown metric {metric!r}")

    def classes(self, metric: str, gyomu: str | None = None) -> tuple[pd.Series, tuple[str, ...], tuple[str, ...]]:
        """(class index per code, colours, labels) for the choropleth."""
        values = self.values(metric, gyomu)
        if metric == "tokutei" and gyomu:
            return values, (TOKUTEI_COLORS[0], TOKUTEI_COLORS[-1]), ONE_GYOMU_TOKUTEI_LABELS
        bins, colors, labels = ((TOKUTEI_BINS, TOKUTEI_COLORS, TOKUTEI_LABELS) if metric == "tokutei"
                                else (RATE_BINS, RATE_COLORS, RATE_LABELS))
        return values.map(lambda v: classify(v, bins)), colors, labels

    def prefecture_summary(self, metric: str, gyomu: str | None = None) -> pd.DataFrame:
        """Per prefecture: municipalities, average, below 50 %, complete, and 特定移行支援 municipalities."""
        values = self.values("gyomu" if metric == "gyomu" else "overall", gyomu)
        frame = self.munis[["pref_code", "pref_name", "n_tokutei"]].assign(value=values)
        if metric == "tokutei" and gyomu:
            frame = frame.assign(n_tokutei=self.values("tokutei", gyomu))
        out = frame.groupby(["pref_code", "pref_name"]).agg(
            municipalities=("value", "size"), avg_rate=("value", "mean"),
            below_half=("value", lambda s: int((s < 0.5).sum())), complete=("value", lambda s: int((s >= 1.0).sum())),
            with_tokutei=("n_tokutei", lambda s: int((s > 0).sum())), tokutei_gyomu=("n_tokutei", "sum")).reset_index()
        return out.sort_values("pref_code").reset_index(drop=True)

    def fewest_vendors(self, with_common: bool = False) -> pd.DataFrame:
        """業務 by number of vendors with a conformant package, fewest first (single-source risk)."""
        rows = self.supply if with_common else self.supply[~self.supply["is_common"]]
        return rows.sort_values(["n_vendors", "sort_order"], kind="mergesort").reset_index(drop=True)

    # -- municipality view --------------------------------------------------------------------
    def similar_codes(self, code: str, factor: float = SIMILAR_FACTOR) -> list[str]:
        """Municipalities of population within ÷factor..×factor (GeoNames figures; unknown left out)."""
        pop = self.munis.at[code, "population"] if code in self.munis.index else None
        if pop is None or pd.isna(pop):
            return []
        p = self.munis["population"].astype(float)
        return [c for c in self.munis.index[(p >= pop / factor) & (p <= pop * factor)] if c != code]

    def municipality_progress(self, code: str) -> pd.DataFrame:
        """Per 業務: its rate, the prefecture's and similar-sized municipalities' averages, 特定移行支援,
        and how many vendors have a conformant package."""
        if code not in self.munis.index:
            return pd.DataFrame()
        pref = set(self.munis.index[self.munis["pref_code"] == self.munis.at[code, "pref_code"]])
        similar = set(self.similar_codes(code))
        p = self.progress
        own = p[p["code"] == code].set_index("gyomu")
        listed = set(self.tokutei.loc[self.tokutei["municipality_code"] == code, "gyomu"])
        out = self.gyomu[["code", "sort_order"]].rename(columns={"code": "gyomu"}).copy()
        out["rate"] = out["gyomu"].map(own["rate"])
        out["pref_avg"] = out["gyomu"].map(p[p["code"].isin(pref)].groupby("gyomu")["rate"].mean())
        out["similar_avg"] = out["gyomu"].map(p[p["code"].isin(similar)].groupby("gyomu")["rate"].mean())
        out["n_similar"] = len(similar)
        out["tokutei"] = out["gyomu"].isin(listed)
        out["n_vendors"] = out["gyomu"].map(self.supply.set_index("gyomu")["n_vendors"]).fillna(0).astype(int)
        return out.reset_index(drop=True)

    def conformant(self, gyomu: str) -> pd.DataFrame:
        """Vendors with a conformant package for the 業務: packages, first confirmation, openness."""
        rows = self.packages[(self.packages["gyomu"] == gyomu) & self.packages["conformant"]]
        if rows.empty:
            return pd.DataFrame(columns=["org_id", "name_ja", "packages", "first_confirmed", "open_yes", "open_no", "open_unknown"])
        out = rows.groupby("org_id").agg(packages=("package_name", lambda s: sorted(set(s))),
                                         first_confirmed=("confirmed_date", "min")).reset_index()
        v = self.vendors
        out["name_ja"] = out["org_id"].map(v["name_ja"])
        for column in ("open_yes", "open_no", "open_unknown", "hq_pref_name", "n_adoptions"):
            out[column] = out["org_id"].map(v[column])
        return out.sort_values(["name_ja", "org_id"]).reset_index(drop=True)

    def alternatives(self, code: str, gyomu: str, radius_km: float = 100.0) -> pd.DataFrame:
        """Vendors with a conformant package for ``gyomu`` only, ranked by ALT_SORT."""
        out = self.conformant(gyomu)
        home = self.munis.loc[code] if code in self.munis.index else None
        nearby_core, nearby_any, nearest, names = [], [], [], []
        for org_id in out["org_id"]:
            ado = self.adoptions[self.adoptions["org_id"] == org_id]
            if home is None or ado.empty:
                nearby_core.append(0), nearby_any.append(0), nearest.append(np.nan), names.append([])
                continue
            d = haversine_km(home["lat"], home["lon"], ado["lat"], ado["lon"])
            near = ado[d <= radius_km]
            nearby_core.append(int(near.loc[near["category"] == CATEGORY, "adopter_name"].nunique()))
            nearby_any.append(int(near["adopter_name"].nunique()))
            nearest.append(float(np.nanmin(d)) if np.isfinite(d).any() else np.nan)
            names.append(sorted(set(near["adopter_name"])))
        out = out.assign(nearby_core=nearby_core, nearby_any=nearby_any, nearest_km=nearest, nearby_adopters=names)
        by, ascending = zip(*ALT_SORT)
        out = out.sort_values(list(by), ascending=list(ascending), kind="mergesort", na_position="last").reset_index(drop=True)
        return out.assign(rank=np.arange(1, len(out) + 1))

    # -- vendor view --------------------------------------------------------------------------
    def vendor_matrix(self, gyomu: list[str] | None = None, vendors: list[str] | None = None) -> pd.DataFrame:
        """Vendors × 業務: number of conformant packages per cell (0 = none), vendors covering all the
        chosen 業務 first; ``gyomu`` keeps only vendors covering every one of them."""
        rows = self.packages[self.packages["conformant"] & self.packages["gyomu"].notna()]
        matrix = (rows.groupby(["org_id", "gyomu"])["package_name"].nunique().unstack(fill_value=0)
                  .reindex(columns=self.gyomu_codes(), fill_value=0))
        if gyomu:
            matrix = matrix[(matrix[gyomu] > 0).all(axis=1)]
        if vendors:
            matrix = matrix[matrix.index.isin(vendors)]
        covered = (matrix > 0).sum(axis=1)
        order = sorted(matrix.index, key=lambda o: (-int(covered[o]), str(self.vendors.at[o, "name_ja"]), o))
        return matrix.loc[order].astype(int)

    def customers(self, org_id: str) -> pd.DataFrame:
        """The vendor's known adopters (catalog adoptions, all categories), with their sources."""
        return self.adoptions[self.adoptions["org_id"] == org_id].reset_index(drop=True)


_MESSAGES = {
    "nav.core_systems": {"ja": "基幹業務・標準化", "en": "Core systems"},
    "std.title": {"ja": "基幹業務・標準化", "en": "Core systems (standardisation)"},
    "std.intro": {"ja": "基幹20業務の標準準拠システムへの移行状況（需要）と、適合確認済みパッケージを持つベンダー（供給）を一枚の地図で。自治体をクリックすると、業務ごとの進捗・特定移行支援の該当業務・乗り換え候補のベンダーが見られます。",
                  "en": "Migration of the 20 core 業務 to standard-compliant systems (demand) and the vendors with a conformant package (supply) on one map. Click a municipality for its progress per 業務, its 特定移行支援 業務 and the vendors that could serve it."},
    "std.view": {"ja": "表示", "en": "View"},
    "std.view.national": {"ja": "全国", "en": "National"},
    "std.view.municipality": {"ja": "自治体", "en": "Municipality"},
    "std.view.vendor": {"ja": "ベンダー", "en": "Vendors"},
    "std.metric": {"ja": "地図の指標", "en": "Map shows"},
    "std.metric.overall": {"ja": "移行進捗（全業務）", "en": "Progress (all 業務)"},
    "std.metric.gyomu": {"ja": "業務別の進捗", "en": "Progress of one 業務"},
    "std.metric.tokutei": {"ja": "特定移行支援の該当業務数", "en": "業務 on the 特定移行支援 list"},
    "std.gyomu": {"ja": "業務", "en": "業務 (business area)"},
    "std.all_gyomu": {"ja": "すべての業務（該当数）", "en": "All 業務 (count)"},
    "std.tip.tokutei": {"ja": "特定移行支援 {n} 業務", "en": "{n} 業務 on the 特定移行支援 list"},
    "std.tip.listed": {"ja": "特定移行支援に該当", "en": "on the 特定移行支援 list"},
    "std.tip.not_listed": {"ja": "該当なし", "en": "not on the list"},
    "std.no_data": {"ja": "データなし", "en": "No data"},
    "std.map_caption": {"ja": "1,741市区町村。クリックでその自治体を開きます。", "en": "1,741 municipalities. Click one to open it."},
    "std.as_of": {"ja": "出典: {publisher}「{title}」（{date}時点）", "en": "Source: {publisher}, “{title}” (as of {date})"},
    "std.old": {"ja": "※{months}か月前のデータです。", "en": "(data {months} months old)"},
    "std.fig.avg": {"ja": "平均進捗（市区町村）", "en": "Average progress (municipalities)"},
    "std.fig.complete": {"ja": "移行完了の市区町村", "en": "Municipalities finished"},
    "std.fig.tokutei": {"ja": "特定移行支援の該当団体", "en": "Bodies on the 特定移行支援 list"},
    "std.prefectures": {"ja": "都道府県別", "en": "By prefecture"},
    "std.fewest": {"ja": "適合ベンダーが少ない業務（単一供給リスク）", "en": "業務 with the fewest conformant vendors (single-source risk)"},
    "std.partial": {"ja": "適合確認済みパッケージは公表一覧の一部です（少なくともこれだけある、の意味）。", "en": "The package list is partial: read counts as “at least”."},
    "std.open_muni": {"ja": "自治体を開く", "en": "Open a municipality"},
    "std.municipality": {"ja": "自治体", "en": "Municipality"},
    "std.pick_muni": {"ja": "自治体を選ぶか、全国の地図でクリックしてください。", "en": "Choose a municipality, or click one on the national map."},
    "std.fig.overall": {"ja": "移行進捗（全業務）", "en": "Progress (all 業務)"},
    "std.fig.n_tokutei": {"ja": "特定移行支援の該当業務", "en": "業務 on the 特定移行支援 list"},
    "std.fig.population": {"ja": "人口（GeoNames、参考値）", "en": "Population (GeoNames, indicative)"},
    "std.progress": {"ja": "業務ごとの進捗", "en": "Progress per 業務"},
    "std.similar_note": {"ja": "同規模 = 人口が1/2〜2倍の{n}市区町村（GeoNamesの人口、参考値）。", "en": "Similar-sized = the {n} municipalities with ½ to 2× the population (GeoNames figures, indicative)."},
    "std.tokutei_list": {"ja": "特定移行支援の該当業務: {items}", "en": "業務 on the 特定移行支援 list: {items}"},
    "std.tokutei_none": {"ja": "特定移行支援の該当業務はありません。", "en": "No 業務 on the 特定移行支援 list."},
    "std.tokutei_yes": {"ja": "該当", "en": "listed"},
    "std.alternatives": {"ja": "この業務の適合パッケージを持つベンダー（乗り換え候補）", "en": "Vendors with a conformant package for this 業務 (alternatives)"},
    "std.radius": {"ja": "近隣の範囲 (km)", "en": "Nearby radius (km)"},
    "std.no_vendor": {"ja": "この業務の適合パッケージは一覧にありません。", "en": "No conformant package for this 業務 in the list."},
    "std.alt_how": {"ja": "並び順: {km} km以内の基幹業務の導入実績 → 近隣の導入実績（全カテゴリ） → 公開性の「はい」の数 → 最寄りの導入先までの距離。適合パッケージを持つベンダーだけを表示します。",
                    "en": "Order: core-systems adoptions within {km} km → any adoption nearby → openness facts known yes → distance to the nearest adopter. Only vendors with a conformant package are listed."},
    "std.alt_link": {"ja": "基幹業務(20業務)は業務ごとに、適合確認済みパッケージを持つベンダーだけを比べられます → 基幹業務・標準化",
                     "en": "For the 20 core 業務, compare only vendors with a conformant package, per 業務 → Core systems"},
    "std.open_vendor": {"ja": "ベンダー詳細", "en": "Vendor page"},
    "std.vendor_gyomu": {"ja": "業務で絞り込む（すべてに対応するベンダー）", "en": "Filter by 業務 (vendors covering all of them)"},
    "std.matrix_note": {"ja": "{n}社。✓ = 適合確認済みパッケージあり（数字は複数パッケージ）。", "en": "{n} vendors. ✓ = conformant package (a number: several packages)."},
    "std.vendor": {"ja": "ベンダー", "en": "Vendor"},
    "std.customers": {"ja": "{name} の既知の導入先", "en": "Known customers of {name}"},
    "std.no_customers": {"ja": "このカタログにはこのベンダーの導入実績がまだありません。", "en": "The catalog records no adoption of this vendor yet."},
    "std.col.pref": {"ja": "都道府県", "en": "Prefecture"},
    "std.col.municipalities": {"ja": "市区町村数", "en": "Municipalities"},
    "std.col.avg": {"ja": "平均進捗", "en": "Average progress"},
    "std.col.below_half": {"ja": "50%未満", "en": "Below 50%"},
    "std.col.complete": {"ja": "完了", "en": "Finished"},
    "std.col.with_tokutei": {"ja": "特定移行支援の該当市区町村", "en": "Municipalities on the list"},
    "std.col.tokutei_gyomu": {"ja": "該当業務の延べ数", "en": "業務 on the list (sum)"},
    "std.col.gyomu": {"ja": "業務", "en": "業務"},
    "std.col.n_vendors": {"ja": "適合ベンダー数", "en": "Conformant vendors"},
    "std.col.vendors": {"ja": "適合ベンダー", "en": "Conformant vendors (names)"},
    "std.col.tokutei_bodies": {"ja": "特定移行支援の該当団体", "en": "Bodies on the list"},
    "std.col.rate": {"ja": "進捗", "en": "Progress"},
    "std.col.pref_avg": {"ja": "県内平均", "en": "Prefecture average"},
    "std.col.similar_avg": {"ja": "同規模平均", "en": "Similar-sized average"},
    "std.col.tokutei": {"ja": "特定移行支援", "en": "特定移行支援"},
    "std.col.rank": {"ja": "順位", "en": "Rank"},
    "std.col.vendor": {"ja": "ベンダー", "en": "Vendor"},
    "std.col.packages": {"ja": "適合パッケージ", "en": "Conformant packages"},
    "std.col.nearby_core": {"ja": "近隣の基幹系導入", "en": "Core-systems adopters nearby"},
    "std.col.nearby_any": {"ja": "近隣の導入（全分野）", "en": "Adopters nearby (any)"},
    "std.col.nearby_names": {"ja": "近隣の導入先", "en": "Nearby adopters"},
    "std.col.nearest_km": {"ja": "最寄り導入先 (km)", "en": "Nearest adopter (km)"},
    "std.col.open_yes": {"ja": "公開性: はい", "en": "Openness: yes"},
    "std.col.open_no": {"ja": "公開性: いいえ", "en": "Openness: no"},
    "std.col.open_unknown": {"ja": "公開性: 不明", "en": "Openness: unknown"},
    "std.col.link": {"ja": "詳細", "en": "Details"},
    "std.col.covered": {"ja": "対応業務数", "en": "業務 covered"},
    "std.col.adopter": {"ja": "導入団体", "en": "Adopter"},
    "std.col.category": {"ja": "カテゴリ", "en": "Category"},
    "std.col.service": {"ja": "サービス", "en": "Service"},
    "std.col.year": {"ja": "年", "en": "Year"},
    "std.col.source": {"ja": "出典", "en": "Source"},
}
i18n.register(_MESSAGES)
