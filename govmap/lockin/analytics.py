"""Lock-in and market analytics over the catalog: alternatives to a vendor, vendor concentration,
what neighbouring and similar-sized municipalities use, and coverage gaps (docs/analytics.md).

Plain Python over the catalog's views (``v_concentration``, ``v_vendor_shares``,
``v_category_coverage`` in etl/views/analytics.sql) and the Browser's frames; the pages only render.
Distances are great-circle (haversine) kilometres between representative points: a head office
is its municipality's point, so distances are approximate to a few kilometres.  A missing point is
"distance unknown", never zero.

Market figures (concentration, the adoption components of the alternatives score) count contracts
and joint procurements only (``adoption_kinds.MARKET_KINDS``); ``all_kinds=True`` counts agreements,
pilots and other kinds too (the pages' "count every kind" checkbox, ``?kinds=all``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from govmap import i18n
from govmap.finder import adoption_kinds, openness
from govmap.finder.browse import Browser, adopter_points  # noqa: F401  (adopter_points: used by the pages)
from govmap.finder.catalog import Catalog
from govmap.finder.facets import FLAG_COLUMNS

EARTH_RADIUS_KM = 6371.0
# The alternatives ranking (issue "Lock-in and market analytics").  Every weight and scale lives
# here; the alternatives page shows this table, docs/analytics.md explains it.  Each component is
# a number from 0 to 1; the score is 100 × Σ weight × component (the weights sum to 1).
WEIGHTS = {
    "overlap": 0.40,    # share of the target categories the candidate offers
    "adoptions": 0.20,  # its adoptions in the target categories, capped at SCALES["adoptions"]
    "nearby": 0.15,     # of those, adoptions within the radius of the buyer, capped at SCALES["nearby"]
    "proximity": 0.15,  # head office: 1 at 0 km falling linearly to 0 at SCALES["distance_km"]; unknown → 0
    "openness": 0.10,   # openness flags known to be yes ÷ number of flags; unknown counts as 0 (not as no)
}
SCALES = {"distance_km": 1000.0, "adoptions": 10, "nearby": 3}
# Ties (equal score after rounding to 2 decimals): more adoptions first, then org_id ascending.
SORT_KEYS = (("score", False), ("n_adoptions", False), ("org_id", True))
OPENNESS_FLAGS = (*FLAG_COLUMNS, "data_in_japan")
MUNICIPALITY_SQL = """SELECT code, pref_code, pref_name, region, name_ja, county_ja, kind, parent_code,
                             lat, lon, population FROM municipalities ORDER BY code"""


def haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in km; NaN wherever a coordinate is missing."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def openness_counts(orgs: pd.DataFrame) -> pd.DataFrame:
    """Per organisation: openness flags known yes, known no, unknown (never folded into no)."""
    flags = pd.DataFrame({c: orgs[c] if c in orgs else None for c in OPENNESS_FLAGS}, index=orgs.index)
    yes = sum(flags[c].astype("boolean").fillna(False).astype(int) for c in OPENNESS_FLAGS)
    unknown = flags.isna().sum(axis=1)
    return pd.DataFrame({"open_yes": yes, "open_no": len(OPENNESS_FLAGS) - yes - unknown,
                         "open_unknown": unknown}, index=orgs.index)


def ranked(frame: pd.DataFrame) -> pd.DataFrame:
    """Sort by the documented keys and number the rows 1..n."""
    by, ascending = zip(*SORT_KEYS)
    out = frame.sort_values(list(by), ascending=list(ascending), kind="mergesort").reset_index(drop=True)
    return out.assign(rank=np.arange(1, len(out) + 1))


@dataclass
class Similar:
    population: float | None   # the buyer's population (GeoNames), None when unknown
    adoptions: pd.DataFrame    # adoptions by municipalities of similar size
    n_unknown: int             # adopting municipalities left out because their population is unknown


class Analytics:
    """The analytics frames of one catalog build (cache one per build, like the Browser)."""

    def __init__(self, catalog: Catalog, browser: Browser):
        self.b = browser
        self.municipalities = catalog.frame(MUNICIPALITY_SQL)
        self.concentration = catalog.frame("SELECT * FROM v_concentration")
        self.shares = catalog.frame("SELECT * FROM v_vendor_shares ORDER BY scope, area_code, category, rank")
        self._all_kinds: tuple[pd.DataFrame, pd.DataFrame] | None = None  # loaded when first asked for
        self.coverage = catalog.frame("SELECT * FROM v_category_coverage")
        self._catalog = catalog
        self._muni = {r["code"]: r for r in self.municipalities.to_dict("records")}
        self.category_order = {c: i for i, c in enumerate(browser.categories["code"])}

    # -- places ------------------------------------------------------------------------------
    def municipality(self, code: str) -> dict | None:
        return self._muni.get(code)

    def municipality_label(self, code: str) -> str:
        m = self._muni.get(code)
        return f"{m['pref_name']} {m['name_ja']}" if m else code

    def _distances(self, home: dict | None, lat, lon) -> np.ndarray:
        if home is None:
            return np.full(len(lat), np.nan)
        return haversine_km(home["lat"], home["lon"], lat, lon)

    def _is_own(self, adoptions: pd.DataFrame, home: dict) -> pd.Series:
        """Adoptions by the buyer's own municipality (or, for a ward, its city)."""
        own_codes = {home["code"], home.get("parent_code")} - {None}
        return adoptions["adopter_kind"].eq("municipality") & adoptions["adopter_code"].isin(own_codes)

    def current_uses(self, code: str) -> pd.DataFrame:
        """What the buyer's municipality is recorded as using today."""
        home = self.municipality(code)
        if home is None:
            return self.b.adoptions.iloc[0:0]
        return self.b.adoptions[self._is_own(self.b.adoptions, home)]

    def _sorted(self, frame: pd.DataFrame, *then: str) -> pd.DataFrame:
        order = frame["category"].map(self.category_order).fillna(len(self.category_order))
        return (frame.assign(_order=order).sort_values(["_order", *then], kind="mergesort")
                .drop(columns="_order").reset_index(drop=True))

    # -- alternatives ------------------------------------------------------------------------
    def target_categories(self, vendor_id: str, category: str | None = None) -> list[str]:
        """The chosen category, else every category the vendor offers or is recorded as adopted for."""
        if category:
            return [category] if category in self.category_order else []
        org = self.b.org(vendor_id) or {"categories": []}
        adopted = self.b.adoptions_of([vendor_id])["category"]
        found = set(org["categories"]) | set(adopted)
        return sorted(found & set(self.category_order), key=self.category_order.get)

    def _adoption_counts(self, target: list[str], home: dict | None, radius_km: float, all_kinds: bool) -> pd.DataFrame:
        rows = counted(self.b.adoptions, all_kinds)
        rows = rows[rows["category"].isin(target)]
        distance = self._distances(home, rows["lat"], rows["lon"])
        # National bodies sit at 千代田区 by convention; that point says nothing about proximity.
        near = (distance <= radius_km) & rows["adopter_kind"].ne("national").to_numpy()
        return pd.DataFrame({"org_id": rows["org_id"], "in_cat": 1, "near": near.astype(int)}) \
            .groupby("org_id").agg(n_adoptions_in_categories=("in_cat", "sum"), nearby_adoptions=("near", "sum"))

    def _candidates(self, vendor_id: str, target: list[str]) -> pd.DataFrame:
        codes = self.b.facets.category_codes
        matrix = self.b.facets.cat_matrix[:, [codes.index(c) for c in target if c in codes]]
        n_shared = matrix.sum(axis=1)
        keep = (n_shared > 0) & (self.b.orgs["org_id"] != vendor_id).to_numpy()
        cand = self.b.orgs[keep].copy()
        cand["n_shared"] = n_shared[keep]
        cand["shared_categories"] = [[c for c, on in zip(target, row) if on] for row in matrix[keep]]
        return cand

    def alternatives(self, vendor_id: str, municipality_code: str, category: str | None = None,
                     radius_km: float = 50.0, all_kinds: bool = False) -> pd.DataFrame:
        """Other organisations offering the target categories, ranked by WEIGHTS (see module top);
        the adoption components count contracts and joint procurements unless ``all_kinds``."""
        target = self.target_categories(vendor_id, category)
        cand = self._candidates(vendor_id, target)
        home = self.municipality(municipality_code)
        cand["distance_km"] = self._distances(home, cand["lat"], cand["lon"])
        counts = self._adoption_counts(target, home, radius_km, all_kinds)
        cand = cand.join(counts, on="org_id")
        cand[list(counts.columns)] = cand[list(counts.columns)].fillna(0).astype(int)
        cand = pd.concat([cand, openness_counts(cand)], axis=1)
        return ranked(score(cand, len(target)))

    def openness_summary(self, org_ids, lang: str) -> pd.DataFrame:
        """openness.known_counts over the services of the given organisations (unknown kept apart)."""
        services = self._catalog.frame("SELECT * FROM v_services WHERE org_id IN (SELECT unnest(?::VARCHAR[]))",
                                       [list(org_ids)])
        counts = openness.known_counts(services)
        return pd.DataFrame([{"item": i.ja if lang == "ja" else i.en, **counts[i.column]} for i in openness.ITEMS])

    # -- near me ------------------------------------------------------------------------------
    def nearby(self, code: str, radius_km: float) -> pd.DataFrame:
        """Adoptions by other bodies placed within ``radius_km`` of the buyer (national bodies left out)."""
        home = self.municipality(code)
        rows = self.b.adoptions[self.b.adoptions["adopter_kind"].ne("national")]
        if home is None:
            return rows.iloc[0:0].assign(distance_km=[])
        rows = rows.assign(distance_km=self._distances(home, rows["lat"], rows["lon"]))
        rows = rows[(rows["distance_km"] <= radius_km) & ~self._is_own(rows, home)]
        return self._sorted(rows, "distance_km", "adopter_name", "org_id")

    def similar_sized(self, code: str, factor: float = 2.0) -> Similar:
        """Adoptions by municipalities whose population is within ÷factor..×factor of the buyer's."""
        home = self.municipality(code)
        population = None if home is None or pd.isna(home["population"]) else float(home["population"])
        rows = self.b.adoptions[self.b.adoptions["adopter_kind"].eq("municipality")]
        rows = rows.assign(population=rows["adopter_code"].map({c: m["population"] for c, m in self._muni.items()}))
        n_unknown = int(rows.loc[rows["population"].isna(), "adopter_code"].nunique())
        if population is None:
            return Similar(None, rows.iloc[0:0].assign(distance_km=[]), n_unknown)
        pop = rows["population"].astype(float)
        rows = rows[(pop >= population / factor) & (pop <= population * factor) & ~self._is_own(rows, home)]
        rows = rows.assign(distance_km=self._distances(home, rows["lat"], rows["lon"]))
        return Similar(population, self._sorted(rows, "distance_km", "adopter_name", "org_id"), n_unknown)

    def per_category(self, adoptions: pd.DataFrame) -> pd.DataFrame:
        """Per category: adopters, adoptions and vendors (names, sorted)."""
        if adoptions.empty:
            return pd.DataFrame(columns=["category", "n_adopters", "n_adoptions", "vendors"])
        out = adoptions.groupby("category").agg(
            n_adopters=("adopter_name", "nunique"), n_adoptions=("org_id", "size"),
            vendors=("org_name_ja", lambda s: sorted(set(s)))).reset_index()
        return self._sorted(out)

    def coverage_gaps(self, code: str, n_nearest: int = 3) -> pd.DataFrame:
        """Categories with no vendor headquartered in the buyer's prefecture, nearest vendors first."""
        home = self.municipality(code)
        if home is None:
            return self.coverage.iloc[0:0].assign(nearest=[])
        gaps = self.coverage[(self.coverage["pref_code"] == home["pref_code"]) & self.coverage["gap_in_pref"]]
        orgs = self.b.orgs
        distance = self._distances(home, orgs["lat"], orgs["lon"])
        codes = self.b.facets.category_codes
        nearest = []
        for category in gaps["category"]:
            offers = self.b.facets.cat_matrix[:, codes.index(category)] & ~np.isnan(distance)
            rows = np.flatnonzero(offers)
            rows = rows[np.lexsort((orgs["org_id"].to_numpy()[rows], distance[rows]))][:n_nearest]
            nearest.append([(orgs["org_id"].iat[r], orgs["name_ja"].iat[r], float(distance[r])) for r in rows])
        return self._sorted(gaps.assign(nearest=nearest))

    # -- concentration ------------------------------------------------------------------------
    def _concentration_frames(self, all_kinds: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(concentration, shares): of contracts and joint procurements, or of every kind."""
        if not all_kinds:
            return self.concentration, self.shares
        if self._all_kinds is None:
            self._all_kinds = (self._catalog.frame("SELECT * FROM v_concentration_all_kinds"),
                               self._catalog.frame("SELECT * FROM v_vendor_shares_all_kinds "
                                                   "ORDER BY scope, area_code, category, rank"))
        return self._all_kinds

    def concentration_of(self, scope: str, category: str | None = None, with_empty: bool = False,
                         all_kinds: bool = False) -> pd.DataFrame:
        concentration = self._concentration_frames(all_kinds)[0]
        rows = concentration[concentration["scope"] == scope]
        if category:
            rows = rows[rows["category"] == category]
        return rows if with_empty else rows[rows["n_adoptions"] > 0]

    def prefecture_values(self, category: str, all_kinds: bool = False) -> dict[str, dict]:
        """pref_code → concentration row of the category (only prefectures with adoptions)."""
        rows = self.concentration_of("prefecture", category, all_kinds=all_kinds)
        return {r["area_code"]: r for r in rows.to_dict("records")}

    def area_vendors(self, scope: str, area_code: str, all_kinds: bool = False) -> pd.DataFrame:
        """Every vendor's share per category in one area (leader first within each category)."""
        shares = self._concentration_frames(all_kinds)[1]
        rows = shares[(shares["scope"] == scope) & (shares["area_code"] == area_code)]
        return self._sorted(rows, "rank")

    def adoptions_in_area(self, scope: str, area_code: str, category: str | None = None,
                          all_kinds: bool = False) -> pd.DataFrame:
        """The recorded adoptions behind a concentration row, with their kinds and sources."""
        rows = counted(self._catalog.frame(AREA_ADOPTIONS_SQL, [scope, area_code]), all_kinds)
        return rows if category is None else rows[rows["category"] == category]


AREA_ADOPTIONS_SQL = """SELECT adopter_name, adopter_code, adopter_kind, org_id, org_name_ja, category, service_name, year,
           adoption_kind, source_url, source_quality, as_of
    FROM v_adoptions a WHERE CASE ?1 WHEN 'national' THEN TRUE
        WHEN 'region' THEN adopter_region = ?2 ELSE adopter_pref_code = ?2 END
    ORDER BY category, org_id, adopter_name"""


def counted(adoptions: pd.DataFrame, all_kinds: bool = False) -> pd.DataFrame:
    """The adoption rows market figures count: contracts and joint procurements, or every kind."""
    if all_kinds:
        return adoptions
    return adoptions[adoptions["adoption_kind"].isin(adoption_kinds.MARKET_KINDS)]


def breakdown(row: dict, labels: dict[str, str]) -> str:
    """The points each component adds to a candidate's score, e.g. '分野 20.0 + 実績 4.0 + ...'."""
    return " + ".join(f"{labels.get(k, k)} {100 * w * row[f'c_{k}']:.1f}" for k, w in WEIGHTS.items())


def score(cand: pd.DataFrame, n_target: int) -> pd.DataFrame:
    """Add the components (c_*) and the score, rounded to 2 decimals, as WEIGHTS defines them."""
    distance = cand["distance_km"].to_numpy(dtype=float)
    components = {
        "overlap": cand["n_shared"] / max(n_target, 1),
        "adoptions": np.minimum(cand["n_adoptions_in_categories"], SCALES["adoptions"]) / SCALES["adoptions"],
        "nearby": np.minimum(cand["nearby_adoptions"], SCALES["nearby"]) / SCALES["nearby"],
        "proximity": np.where(np.isnan(distance), 0.0,
                              np.clip(1 - np.nan_to_num(distance) / SCALES["distance_km"], 0.0, 1.0)),
        "openness": cand["open_yes"] / len(OPENNESS_FLAGS),
    }
    out = cand.assign(**{f"c_{k}": np.asarray(v, dtype=float) for k, v in components.items()})
    total = sum(WEIGHTS[k] * out[f"c_{k}"] for k in WEIGHTS)
    return out.assign(score=np.round(100 * total.astype(float), 2))


_MESSAGES = {
    "an.municipality": {"ja": "自団体(市区町村)", "en": "Your municipality"},
    "an.radius": {"ja": "近隣とみなす距離(km)", "en": "Radius (km)"},
    "an.caveat": {"ja": "導入実績は公開情報で確認できたもの(出典付き)だけです。市場全体のシェアではありません。",
                  "en": "Adoptions are only those found in public sources (each with a source), not the whole market."},
    "an.home": {"ja": "自団体: {name}", "en": "You: {name}"},
    "an.unlocated": {"ja": "位置不明: {n} 件(地図には表示されません)", "en": "Location unknown: {n} (not on the map)"},
    "an.col.category": {"ja": "分野", "en": "Category"},
    "an.col.distance": {"ja": "距離(km)", "en": "Distance (km)"},
    "an.col.kind": {"ja": "団体の種類", "en": "Adopter type"},
    "an.col.vendor": {"ja": "ベンダー", "en": "Vendor"},
    "an.col.vendors": {"ja": "ベンダー", "en": "Vendors"},
    "an.col.n_adopters": {"ja": "導入団体数", "en": "Adopters"},
    "an.col.n_adoptions": {"ja": "導入実績数", "en": "Adoptions"},
    "an.col.population": {"ja": "人口(GeoNames)", "en": "Population (GeoNames)"},
    "an.kind.municipality": {"ja": "市区町村", "en": "Municipality"},
    "an.kind.prefecture": {"ja": "都道府県", "en": "Prefecture"},
    "an.kind.group": {"ja": "共同調達・協議会等", "en": "Joint group"},
    "an.kind.national": {"ja": "国の機関", "en": "National body"},
    "alt.title": {"ja": "代替ベンダー検索", "en": "Alternatives finder"},
    "alt.intro": {"ja": "今使っているベンダー(必要なら分野も)と自団体を選ぶと、同じ分野を提供する他の組織を順位付けして示します。",
                  "en": "Pick the vendor you use today (optionally one category) and your municipality: other organisations offering the same categories, ranked."},
    "alt.current_uses": {"ja": "自団体の記録された導入実績: {items}", "en": "Recorded for your municipality: {items}"},
    "alt.vendor": {"ja": "今使っているベンダー", "en": "Vendor you use today"},
    "alt.category": {"ja": "分野(任意)", "en": "Category (optional)"},
    "alt.all_categories": {"ja": "このベンダーの全分野", "en": "All of this vendor's categories"},
    "alt.target": {"ja": "対象分野: {cats}", "en": "Target categories: {cats}"},
    "alt.none": {"ja": "同じ分野を提供する他の組織は見つかりません。", "en": "No other organisation offers these categories."},
    "alt.results": {"ja": "候補 {n} 組織", "en": "{n} candidate organisations"},
    "alt.how": {"ja": "順位の付け方", "en": "How the ranking works"},
    "alt.how_text": {"ja": "スコア = 100 × Σ(重み × 要素)。各要素は0〜1です。同点は導入実績数の多い順、さらに同じなら org_id の昇順。本社の位置が不明なら距離の要素は0(距離は「不明」と表示)。オープン性の「不明」は「なし」と数えず、別に数えます。",
                     "en": "Score = 100 × Σ(weight × component); each component is 0–1. Ties: more adoptions first, then org_id ascending. An unknown head office gives 0 for proximity (distance shown as unknown). Unknown openness is counted separately, never as no."},
    "alt.component": {"ja": "要素", "en": "Component"},
    "alt.weight": {"ja": "重み", "en": "Weight"},
    "alt.meaning": {"ja": "内容", "en": "What it measures"},
    "alt.c.overlap": {"ja": "対象分野のうち提供している分野の割合", "en": "Share of the target categories it offers"},
    "alt.c.adoptions": {"ja": "対象分野の導入実績数({cap}件で上限1)", "en": "Adoptions in the target categories (1 at {cap} or more)"},
    "alt.c.nearby": {"ja": "うち半径内の導入実績数({cap}件で上限1、国の機関は除く)", "en": "Of those, adoptions within the radius (1 at {cap} or more; national bodies excluded)"},
    "alt.c.proximity": {"ja": "本社までの距離(0kmで1、{km}km以上で0、不明は0)", "en": "Distance to the head office (1 at 0 km, 0 at {km} km or more; unknown = 0)"},
    "alt.c.openness": {"ja": "オープン性・認証の項目のうち「あり」と判明している割合({n}項目)", "en": "Openness and certification flags known to be yes ({n} flags)"},
    "alt.col.breakdown": {"ja": "スコアの内訳", "en": "Score breakdown"},
    "alt.short.overlap": {"ja": "分野", "en": "categories"},
    "alt.short.adoptions": {"ja": "実績", "en": "adoptions"},
    "alt.short.nearby": {"ja": "近隣実績", "en": "nearby"},
    "alt.short.proximity": {"ja": "距離", "en": "distance"},
    "alt.short.openness": {"ja": "オープン性", "en": "openness"},
    "alt.col.rank": {"ja": "順位", "en": "Rank"},
    "alt.col.score": {"ja": "スコア", "en": "Score"},
    "alt.col.shared": {"ja": "共通分野", "en": "Shared categories"},
    "alt.col.in_categories": {"ja": "対象分野の導入実績", "en": "Adoptions in target categories"},
    "alt.col.nearby": {"ja": "半径内の導入実績", "en": "Adoptions nearby"},
    "alt.col.open_yes": {"ja": "オープン性: あり", "en": "Openness: yes"},
    "alt.col.open_no": {"ja": "オープン性: なし", "en": "Openness: no"},
    "alt.col.open_unknown": {"ja": "オープン性: 不明", "en": "Openness: unknown"},
    "alt.map": {"ja": "上位 {n} 組織の本社と、対象分野の導入実績", "en": "Head offices of the top {n} and their adoptions in the target categories"},
    "alt.openness": {"ja": "候補のオープン性(サービス単位。「不明」は「なし」に含めません)",
                     "en": "Openness of the candidates (per service; unknown is never counted as no)"},
    "alt.openness.yes": {"ja": "あり/記載あり", "en": "Yes / stated"},
    "alt.openness.no": {"ja": "なし", "en": "No"},
    "alt.openness.unknown": {"ja": "不明", "en": "Unknown"},
    "conc.title": {"ja": "ベンダー集中度", "en": "Vendor concentration"},
    "conc.intro": {"ja": "分野ごとに、導入実績が何社に分かれているかを示します。HHI(ハーフィンダール・ハーシュマン指数)= 各社シェアの2乗の合計 × 10,000。10,000 は記録された導入がすべて1社。",
                   "en": "Per category: how many vendors share the recorded adoptions. HHI (Herfindahl–Hirschman index) = sum of squared vendor shares × 10,000; 10,000 means one vendor holds every recorded adoption."},
    "conc.category": {"ja": "分野", "en": "Category"},
    "conc.national": {"ja": "全国・分野別", "en": "Nationally, per category"},
    "conc.by_area": {"ja": "地域別", "en": "By area"},
    "conc.scope": {"ja": "単位", "en": "Scope"},
    "conc.scope.national": {"ja": "全国", "en": "National"},
    "conc.scope.region": {"ja": "地方", "en": "Region"},
    "conc.scope.prefecture": {"ja": "都道府県", "en": "Prefecture"},
    "conc.map_caption": {"ja": "色はHHI(濃いほど集中、灰色は記録なし)。都道府県をクリックすると下に内訳を表示します。",
                         "en": "Colour is the HHI (darker = more concentrated, grey = none recorded). Click a prefecture to see its vendors below."},
    "conc.pick_area": {"ja": "内訳を見る地域", "en": "Area to break down"},
    "conc.area_vendors": {"ja": "{area}: 分野別のベンダーとシェア", "en": "{area}: vendors and shares per category"},
    "conc.sources": {"ja": "根拠となる導入実績と出典", "en": "The adoptions behind it, with sources"},
    "conc.no_data": {"ja": "記録なし", "en": "None recorded"},
    "conc.none": {"ja": "この分野の導入実績は記録されていません。", "en": "No adoption is recorded for this category."},
    "conc.area_none": {"ja": "この地域の導入実績は記録されていません。", "en": "No adoption is recorded in this area."},
    "conc.col.area": {"ja": "地域", "en": "Area"},
    "conc.col.hhi": {"ja": "HHI", "en": "HHI"},
    "conc.col.n_vendors": {"ja": "ベンダー数", "en": "Vendors"},
    "conc.col.leader": {"ja": "最多のベンダー", "en": "Leading vendor"},
    "conc.col.leader_share": {"ja": "最多ベンダーのシェア(%)", "en": "Leader's share (%)"},
    "conc.col.single": {"ja": "1社のみ", "en": "Single vendor"},
    "conc.col.share": {"ja": "シェア(%)", "en": "Share (%)"},
    "near.title": {"ja": "近隣自治体の導入状況", "en": "Near me: what neighbours use"},
    "near.intro": {"ja": "自団体を選ぶと、近隣や人口規模の近い自治体が分野ごとに何を使っているかを出典付きで示します。",
                   "en": "Pick your municipality: what neighbouring and similar-sized municipalities use, per category, with sources."},
    "near.own": {"ja": "自団体の導入実績", "en": "Your municipality's adoptions"},
    "near.own_none": {"ja": "自団体の導入実績は記録されていません。", "en": "No adoption is recorded for your municipality."},
    "near.neighbours": {"ja": "半径 {r} km 以内の団体の導入実績", "en": "Adoptions within {r} km"},
    "near.neighbours_none": {"ja": "この範囲の導入実績は記録されていません。範囲を広げてください。",
                             "en": "No adoption is recorded within this radius; try a larger one."},
    "near.factor": {"ja": "人口規模の幅(何倍まで)", "en": "Population range (up to × / ÷)"},
    "near.similar": {"ja": "人口規模の近い市区町村の導入実績(人口 {low}〜{high})",
                     "en": "Adoptions by similar-sized municipalities (population {low}–{high})"},
    "near.population": {"ja": "人口(GeoNamesの値。国勢調査ではありません): {pop}", "en": "Population (GeoNames figure, not the census): {pop}"},
    "near.population_unknown": {"ja": "この市区町村の人口は不明のため、人口規模での比較はできません。",
                                "en": "This municipality's population is unknown, so there is no size comparison."},
    "near.population_unknowns": {"ja": "人口が不明な導入団体 {n} 件は比較に含めていません。",
                                 "en": "{n} adopting municipalities with unknown population are left out."},
    "near.similar_none": {"ja": "人口規模の近い市区町村の導入実績は記録されていません。", "en": "No adoption recorded by similar-sized municipalities."},
    "near.gaps": {"ja": "地元に本社のあるベンダーがいない分野", "en": "Categories with no vendor headquartered nearby"},
    "near.gaps_help": {"ja": "{pref}に本社のある組織が提供していない分野と、最も近い提供組織。本社不明の組織が地元の可能性もあります。",
                       "en": "Categories no organisation headquartered in {pref} offers, and the nearest that do. Organisations with an unknown head office may be local."},
    "near.no_gaps": {"ja": "すべての分野に、この都道府県に本社のある組織があります。", "en": "Every category has an organisation headquartered in this prefecture."},
    "near.col.gap_region": {"ja": "地方内にもなし", "en": "None in the region either"},
    "near.col.nearest": {"ja": "最寄りの提供組織(本社までの距離)", "en": "Nearest organisations offering it (distance to head office)"},
    "near.col.hq_unknown": {"ja": "本社不明の提供組織", "en": "Offering, head office unknown"},
    "near.col.nationally": {"ja": "全国の提供組織", "en": "Offering, nationwide"},
}
i18n.register(_MESSAGES)
