"""Lock-in and market analytics on a tiny hand-made catalog (tests/fixtures/analytics), built with
the real ETL and the real gazetteer.  Every expected number below was computed by hand; the
comments show the arithmetic.

The fixture (vendors.csv / adoptions.csv):
    incumbent    HQ 渋谷区      core_systems, online_forms   adopted: 渋谷区, 新宿区, 那覇市 (core)
    alt_local    HQ 渋谷区      online_forms                 adopted: 大阪市, 横浜市 (online_forms)
    alt_far      HQ 那覇市      core_systems, online_forms   adopted: 那覇市, 浦添市 (core), 堺市 (online_forms)
    alt_nowhere  HQ unknown     core_systems, chatbot_ai     adopted: デジタル庁 (core; a national body)
    alt_tie_a/c  HQ unknown     core_systems                 no adoptions
    alt_tie_b    HQ unknown     core_systems, gis            adopted: 札幌市 (gis, outside the target)
    unrelated    HQ 大阪市      gis
    hokkaido_geo HQ 北海道 only (placed at the prefectural office, 札幌市)   gis
No service has an openness profile, so every flag is unknown.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from etl.build import build, read_inputs
from govmap.lockin import analytics, analytics_map
from govmap.lockin.analytics import Analytics, haversine_km, openness_counts
from govmap.finder.browse import Browser
from govmap.finder.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "analytics"
SHIBUYA, CHIYODA, NAHA = "131130", "131016", "472018"


@pytest.fixture(scope="module")
def fixture_catalog(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("analytics") / "catalog.duckdb"
    _, problems = build(out, inputs=read_inputs(seed_dir=FIXTURE, with_submissions=False, with_standardisation=False),
                        progress=False)
    assert not [p for p in problems if p.severity == "error"]
    return out


@pytest.fixture(scope="module")
def catalog(fixture_catalog):
    cat = Catalog(fixture_catalog)
    yield cat
    cat.close()


@pytest.fixture
def an(catalog) -> Analytics:
    return Analytics(catalog, Browser(catalog))


def row(frame: pd.DataFrame, **where) -> dict:
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    rows = frame[mask].to_dict("records")
    assert len(rows) == 1, (where, rows)
    return rows[0]


# -- distances --------------------------------------------------------------------------------
def test_haversine_is_one_degree_of_arc_and_nan_when_unlocated():
    # One degree of arc on a sphere of radius 6371 km: 2π × 6371 / 360 = 111.19493 km.
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.19493, abs=1e-4)
    assert haversine_km(35, 139, 36, 139) == pytest.approx(111.19493, abs=1e-4)
    assert math.isnan(haversine_km(35, 139, float("nan"), 139))


# -- concentration ----------------------------------------------------------------------------
def test_national_concentration_hhi_leader_and_share(an):
    core = row(an.concentration, scope="national", category="core_systems")
    # core_systems: incumbent 3, alt_far 2, alt_nowhere 1 (デジタル庁 counts nationally) = 6.
    # Shares 3/6, 2/6, 1/6 → HHI = 10,000 × (9 + 4 + 1) / 36 = 3,888.89; leader incumbent at 0.5.
    assert (core["n_adoptions"], core["n_vendors"]) == (6, 3)
    assert core["hhi"] == pytest.approx(140000 / 36)
    assert (core["leader_org_id"], core["leader_share"], core["single_vendor"]) == ("incumbent", 0.5, False)
    forms = row(an.concentration, scope="national", category="online_forms")
    # online_forms: alt_local 2, alt_far 1 → 10,000 × (4 + 1) / 9 = 5,555.56; leader alt_local 2/3.
    assert forms["hhi"] == pytest.approx(50000 / 9)
    assert forms["leader_org_id"] == "alt_local" and forms["leader_share"] == pytest.approx(2 / 3)


def test_prefecture_single_vendor_and_deterministic_tie_break(an):
    tokyo = row(an.concentration, scope="prefecture", area_code="13", category="core_systems")
    # 東京都 core_systems: incumbent at 渋谷区 and 新宿区, nobody else → 10,000, single vendor.
    assert (tokyo["n_adoptions"], tokyo["hhi"], tokyo["leader_share"], tokyo["single_vendor"]) == (2, 10000, 1.0, True)
    okinawa = row(an.concentration, scope="prefecture", area_code="47", category="core_systems")
    # 沖縄県: alt_far 2 (那覇市, 浦添市), incumbent 1 (那覇市) → 10,000 × (4 + 1) / 9; leader alt_far.
    assert okinawa["hhi"] == pytest.approx(50000 / 9) and okinawa["leader_org_id"] == "alt_far"
    osaka = row(an.concentration, scope="prefecture", area_code="27", category="online_forms")
    # 大阪府: alt_local 1 (大阪市), alt_far 1 (堺市) → 10,000 × (¼ + ¼) = 5,000; a tie, and the
    # documented tie-break (org_id ascending) makes 'alt_far' < 'alt_local' the leader at 0.5.
    assert (osaka["hhi"], osaka["leader_org_id"], osaka["leader_share"]) == (5000, "alt_far", 0.5)
    shares = an.area_vendors("prefecture", "27")
    assert list(shares["org_id"]) == ["alt_far", "alt_local"] and list(shares["rank"]) == [1, 2]


def test_national_bodies_count_nationally_but_in_no_prefecture_or_region(an):
    prefecture_total = an.concentration_of("prefecture", "core_systems")["n_adoptions"].sum()
    region_total = an.concentration_of("region", "core_systems")["n_adoptions"].sum()
    assert (prefecture_total, region_total) == (5, 5)  # 6 nationally minus デジタル庁
    local = an.shares[an.shares["scope"] != "national"]
    assert "alt_nowhere" not in set(local["org_id"])
    kanto = row(an.concentration, scope="region", area_code="関東", category="core_systems")
    assert kanto["single_vendor"] and kanto["n_adoptions"] == 2


def test_empty_categories_are_rows_with_no_index_and_no_leader(an):
    n_regions = an.concentration_of("region", with_empty=True)["area_code"].nunique()
    assert len(an.concentration) == an.concentration["category"].nunique() * (1 + n_regions + 47)  # every area × every category
    cashless = row(an.concentration, scope="national", category="cashless")
    assert (cashless["n_adoptions"], cashless["n_vendors"], cashless["single_vendor"]) == (0, 0, False)
    assert pd.isna(cashless["hhi"]) and pd.isna(cashless["leader_org_id"]) and pd.isna(cashless["leader_share"])
    assert "cashless" not in set(an.concentration_of("national")["category"])  # hidden unless asked
    assert an.prefecture_values("cashless") == {}


# -- alternatives -----------------------------------------------------------------------------
def test_alternatives_ranking_computed_by_hand(an):
    result = an.alternatives("incumbent", SHIBUYA, radius_km=50)
    # Target = incumbent's categories {core_systems, online_forms}.  score = 100 × (0.40 overlap
    # + 0.20 min(adoptions in target, 10)/10 + 0.15 min(nearby, 3)/3 + 0.15 proximity + 0.10 openness).
    # alt_far:     overlap 2/2=1; 3 adoptions → .3; none within 50 km; 那覇 ≈1,550 km from 渋谷 → 0.
    #              100 × (.40 + .06) = 46
    # alt_local:   overlap 1/2; 2 adoptions → .2; 横浜市 (~25 km) nearby → 1/3; same ward → d=0 → 1.
    #              100 × (.20 + .04 + .05 + .15) = 44
    # alt_nowhere: overlap 1/2; 1 adoption (デジタル庁) → .1; a national body is never "nearby"
    #              (it only sits at 千代田区 by convention); unlocated → 0.  100 × (.20 + .02) = 22
    # alt_tie_a/b/c: overlap 1/2, nothing else → 20 each.  Tie-break: adoptions desc puts alt_tie_b
    #              (one gis adoption, outside the target) first, then org_id: alt_tie_a, alt_tie_c.
    # Openness: every flag unknown → 0 yes, 0 no, 10 unknown; contributes 0.
    assert list(result["org_id"]) == ["alt_far", "alt_local", "alt_nowhere", "alt_tie_b", "alt_tie_a", "alt_tie_c"]
    assert list(result["score"]) == [46.0, 44.0, 22.0, 20.0, 20.0, 20.0]
    assert list(result["rank"]) == [1, 2, 3, 4, 5, 6]
    assert list(result["nearby_adoptions"]) == [0, 1, 0, 0, 0, 0]
    assert list(result["n_adoptions_in_categories"]) == [3, 2, 1, 0, 0, 0]
    assert "incumbent" not in set(result["org_id"]) and "unrelated" not in set(result["org_id"])
    local = result.to_dict("records")[1]
    assert analytics.breakdown(local, {}) == "overlap 20.0 + adoptions 4.0 + nearby 5.0 + proximity 15.0 + openness 0.0"


def test_alternatives_distances_unknown_is_not_zero(an):
    result = an.alternatives("incumbent", SHIBUYA).set_index("org_id")
    assert result.loc["alt_local", "distance_km"] == 0.0  # both at 渋谷区's representative point
    # 渋谷区 (≈35.66 N, 139.70 E) to 那覇市 (≈26.21 N, 127.68 E): haversine ≈ 1,550 km.
    assert 1400 < result.loc["alt_far", "distance_km"] < 1700
    assert math.isnan(result.loc["alt_nowhere", "distance_km"])
    assert result.loc["alt_nowhere", "c_proximity"] == 0.0


def test_alternatives_for_one_category(an):
    result = an.alternatives("incumbent", SHIBUYA, "core_systems")
    # Target {core_systems}: alt_far overlap 1 + 2 adoptions → 100 × (.40 + .04) = 44;
    # alt_nowhere 1 + 1 → 42; the three ties 40.  alt_local (online_forms only) drops out.
    assert list(result["org_id"]) == ["alt_far", "alt_nowhere", "alt_tie_b", "alt_tie_a", "alt_tie_c"]
    assert list(result["score"]) == [44.0, 42.0, 40.0, 40.0, 40.0]


def test_unknown_openness_is_counted_apart_from_no():
    frame = pd.DataFrame({"has_api": [True, None, False], "lgwan_asp": [None, None, True]})
    counts = openness_counts(frame)
    n = len(analytics.OPENNESS_FLAGS)
    # Row 0: API yes, LGWAN unknown, the 8 absent flags unknown → 1 yes, 0 no, n-1 unknown.
    assert counts.iloc[0].to_dict() == {"open_yes": 1, "open_no": 0, "open_unknown": n - 1}
    assert counts.iloc[1].to_dict() == {"open_yes": 0, "open_no": 0, "open_unknown": n}
    assert counts.iloc[2].to_dict() == {"open_yes": 1, "open_no": 1, "open_unknown": n - 2}


def test_openness_summary_uses_known_counts_with_unknown(an):
    summary = an.openness_summary(["alt_far", "alt_local"], "en")
    api = row(summary, item="API")
    assert (api["yes"], api["no"], api["unknown"]) == (0, 0, 2)  # two services, nothing known


def test_weights_are_in_one_place_and_sum_to_one():
    assert set(analytics.WEIGHTS) == {"overlap", "adoptions", "nearby", "proximity", "openness"}
    assert sum(analytics.WEIGHTS.values()) == pytest.approx(1.0)
    doc = (ROOT / "docs" / "analytics.md").read_text(encoding="utf-8")
    for name, weight in analytics.WEIGHTS.items():
        assert f"`{name}`" in doc and f"{weight:.2f}" in doc


# -- near me ----------------------------------------------------------------------------------
def test_nearby_leaves_out_own_municipality_and_national_bodies(an):
    near = an.nearby(SHIBUYA, 50)
    # Within 50 km of 渋谷区: 新宿区 (core, ~3 km) and 横浜市 (online_forms, ~25 km); 渋谷区's own
    # adoption is "current use", not a neighbour; categories in taxonomy order.
    assert list(near["adopter_name"]) == ["新宿区", "横浜市"]
    assert list(an.current_uses(SHIBUYA)["org_id"]) == ["incumbent"]
    # デジタル庁 is placed at 千代田区 but is not a neighbour of anyone.
    assert "デジタル庁" not in set(an.nearby(CHIYODA, 5)["adopter_name"])
    per = an.per_category(near)
    assert list(per["category"]) == ["core_systems", "online_forms"] and list(per["n_adopters"]) == [1, 1]


def test_similar_sized_uses_population_and_says_when_unknown(an):
    # Populations set here so the arithmetic does not depend on GeoNames figures.
    for code, population in ((SHIBUYA, 200_000), ("131041", 350_000), (NAHA, 320_000), ("472085", 110_000),
                             ("271004", 2_700_000), ("141003", None), ("271403", None)):
        an.municipality(code)["population"] = population
    similar = an.similar_sized(SHIBUYA, factor=2.0)
    # Range 100,000..400,000: 新宿区 350k, 那覇市 320k (two adoptions), 浦添市 110k; 大阪市 2.7M is out;
    # 横浜市 and 堺市 have no figure and are counted as unknown (札幌市 too, if GeoNames lacks it).
    assert similar.population == 200_000
    assert sorted(similar.adoptions["adopter_name"]) == ["新宿区", "浦添市", "那覇市", "那覇市"]
    assert similar.n_unknown >= 2
    an.municipality(SHIBUYA)["population"] = None
    unknown = an.similar_sized(SHIBUYA)
    assert unknown.population is None and unknown.adoptions.empty


def test_coverage_gaps_and_nearest_vendors(an, catalog):
    gaps = an.coverage_gaps(SHIBUYA).set_index("category")
    # 東京都 has head offices offering core_systems and online_forms only: every other category is a gap.
    n_categories = catalog.query("SELECT count(*) AS n FROM categories").frame["n"][0]
    assert len(gaps) == n_categories - 2 and "core_systems" not in gaps.index
    gis = gaps.loc["gis"]
    # gis: 大阪市 (≈400 km) before 札幌市 (≈830 km); alt_tie_b offers gis but is unlocated.
    assert [org_id for org_id, _, _ in gis["nearest"]] == ["unrelated", "hokkaido_geo"]
    assert (gis["vendors_nationally"], gis["vendors_hq_unknown"], gis["gap_in_region"]) == (3, 1, True)
    chatbot = gaps.loc["chatbot_ai"]
    assert chatbot["nearest"] == [] and chatbot["vendors_hq_unknown"] == 1
    assert "gis" not in set(an.coverage_gaps("271004")["category"])  # 大阪市: unrelated is local


# -- choropleth -------------------------------------------------------------------------------
def test_choropleth_colours_missing_as_no_data_and_escapes_tooltips():
    features = analytics_map.choropleth_features({"13": 10000.0, "27": 1200.0}, {"13": "<b>`${x}`</b>"})
    props = {f["properties"]["pref_code"]: f["properties"] for f in features["features"]}
    assert len(props) == 47
    assert props["13"]["fill"] == analytics_map.HHI_COLORS[-1]
    assert props["27"]["fill"] == analytics_map.HHI_COLORS[0]
    assert props["01"]["fill"] == analytics_map.NO_DATA_COLOR
    assert "<b>" not in props["13"]["tip"] and "`" not in props["13"]["tip"] and "$" not in props["13"]["tip"]
    html = analytics_map.choropleth_map({"13": 10000.0}).get_root().render()
    assert "cdn" not in html.lower() and "/app/static/vendor/leaflet/leaflet.js" in html


def test_selected_pref_code_accepts_only_real_codes():
    click = lambda code: {"last_active_drawing": {"type": "Feature", "properties": {"pref_code": code}}}  # noqa: E731
    assert analytics_map.selected_pref_code(click("13")) == "13"
    assert analytics_map.selected_pref_code(click("48")) is None
    assert analytics_map.selected_pref_code(click("<script>")) is None
    assert analytics_map.selected_pref_code(None) is None
