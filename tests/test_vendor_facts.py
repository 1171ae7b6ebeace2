"""Issue 14 on the pages: the vendor page's sourced facts (every fact in use with its source, date and
source type; legal, former and other names; contact page), adoption kinds and source quality on the
vendor page and in map popups, market-share figures that count contracts and joint procurements
unless ``?kinds=all``, and the LGWAN-ASP filter over the catalog's real vendors.

Expected rows come from the built catalogs (v_fact_sources, v_organisations), never from a list
written here; the concentration figures of the analytics fixture plus one agreement are computed
by hand below.  Hostile research text (tests/hostile_research.py) must render inert everywhere.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import hostile
import hostile_research as hr
from govmap import escape, i18n  # noqa: F401  (messages)
from govmap.finder import adoption_kinds, buyer_messages, source_quality
from govmap.maps import mapview
from govmap.lockin.analytics import Analytics
from govmap.finder.browse import FACT_FIELDS, Browser
from govmap.finder.catalog import Catalog
from govmap.finder.facets import Filters

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "analytics"
SHIBUYA = "131130"


def page(name: str, lang: str = "ja", **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / name), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    if lang != "ja":
        at.session_state["lang"] = lang
    return at


def frame_with(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first dataframe (or static table, in the printable view) that has every one of ``columns``."""
    for element in [*at.dataframe, *at.table]:
        if set(columns) <= set(element.value.columns):
            return element.value
    raise AssertionError(f"no table with columns {columns}: {[list(e.value.columns) for e in at.dataframe]}")


def rows(path: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()


ORG_FACTS_SQL = """SELECT f.* FROM v_fact_sources f
    WHERE (f.entity_kind = 'organisation' AND f.entity_id = ?1)
       OR (f.entity_kind = 'service' AND f.entity_id IN (SELECT service_id FROM services WHERE org_id = ?1))"""


def shown_value(field: str, value: str, lang: str = "ja") -> str:
    if value in ("true", "false") and field not in ("legal_name", "trade_name", "product_name"):
        return i18n.t("common.yes" if value == "true" else "common.no", lang)
    return value


# -- labels -----------------------------------------------------------------------------------------
def _fields_named_by_the_etl() -> set[str]:
    from etl import facts, research
    schema = (ROOT / "etl" / "schema.sql").read_text(encoding="utf-8")
    comment = re.search(r"COMMENT ON COLUMN facts\.field IS '([^']*)'", schema).group(1)
    named = set(re.findall(r"\b[a-z]+(?:_[a-z]+)+\b|\bwebsite\b", comment))
    return named | set(facts.FLAG_FIELDS) | set(facts.SERVICE_TEXT_FIELDS) | research.ORG_FIELDS | research.SERVICE_FIELDS


def test_every_fact_field_has_a_label_in_both_languages_and_a_place_in_the_order():
    fields = _fields_named_by_the_etl()
    assert {"hq_address", "legal_name", "trade_name", "product_name", "price_band", "is_oss"} <= fields
    assert fields <= set(FACT_FIELDS), fields - set(FACT_FIELDS)
    for field in FACT_FIELDS:
        entry = i18n.MESSAGES.get(f"fact.field.{field}")
        assert entry and entry["ja"] and entry["en"], field


def test_the_flag_fields_and_market_kinds_agree_with_the_etl_and_the_views():
    from etl import facts
    from ui import vendorfacts
    assert vendorfacts.BOOLEAN_FIELDS == set(facts.FLAG_FIELDS)
    sql = (ROOT / "etl" / "views" / "analytics.sql").read_text(encoding="utf-8")
    market = re.findall(r"CREATE VIEW v_(?:vendor_shares|concentration) AS FROM \w+\(\[([^\]]*)\]\)", sql)
    assert len(market) == 2
    for kinds in market:
        assert tuple(re.findall(r"'(\w+)'", kinds)) == adoption_kinds.MARKET_KINDS


# -- the vendor page on the shipped catalog ---------------------------------------------------------
@pytest.fixture(scope="module")
def rich_org(built_catalog) -> str:
    """The organisation with the most facts in use, among those with facts about itself and a service."""
    found = rows(built_catalog, """
        WITH f AS (SELECT coalesce(s.org_id, f.entity_id) AS org_id, f.entity_kind FROM v_fact_sources f
                   LEFT JOIN services s ON f.entity_kind = 'service' AND s.service_id = f.entity_id)
        SELECT org_id FROM f GROUP BY org_id HAVING count(DISTINCT entity_kind) = 2
        ORDER BY count(*) DESC, org_id LIMIT 1""")
    assert len(found), "the shipped catalog has no organisation with facts about itself and its services"
    return found["org_id"][0]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_vendor_page_shows_each_fact_with_its_source_date_and_source_type(catalog_env, built_catalog, rich_org, lang):
    expected = rows(built_catalog, ORG_FACTS_SQL, [rich_org])
    at = page("vendor.py", lang, org=rich_org).run()
    assert not at.exception, at.exception
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    assert t("fact.title") in [h.value for h in at.subheader]
    table = frame_with(at, t("fact.col.entity"), t("fact.col.quality"))
    assert len(table) == len(expected)
    shown = set(zip(table[t("fact.col.field")], table[t("fact.col.value")], table[t("col.source")], table[t("fact.col.as_of")]))
    for fact in expected.to_dict("records"):
        row = (i18n.t(f"fact.field.{fact['field']}", lang), shown_value(fact["field"], fact["value"], lang),
               fact["source_url"], fact["as_of"])
        assert row in shown, row
    # Source types in the page language; weak ones (aggregators, other) say so, the others do not.
    qualities = sorted(buyer_quality(q, lang) for q in expected["source_quality"])
    assert sorted(table[t("fact.col.quality")]) == qualities
    marked = table[t("fact.col.quality")].str.endswith(i18n.t("fact.weak", lang, label=""))
    assert marked.sum() == expected["source_quality"].isin(source_quality.WEAK).sum()


def buyer_quality(quality: str, lang: str) -> str:
    label = source_quality.label(quality, lang)
    return i18n.t("fact.weak", lang, label=label) if quality in source_quality.WEAK else label


def test_vendor_page_shows_legal_and_former_names(catalog_env, built_catalog):
    found = rows(built_catalog, """SELECT org_id, legal_name, other_names FROM v_organisations
                                   WHERE legal_name IS NOT NULL AND len(other_names) > 0 ORDER BY org_id LIMIT 1""")
    assert len(found), "no organisation with a sourced legal name and another name"
    org = found.iloc[0]
    at = page("vendor.py", org=org["org_id"]).run()
    assert not at.exception, at.exception
    overview = at.table[0].value
    cells = dict(zip(overview.index, overview.iloc[:, 0]))
    assert cells["商号(正式名称)"] == escape.markdown_text(org["legal_name"])
    for name in org["other_names"]:
        assert escape.markdown_text(name) in cells["旧名・別名"]


def test_vendor_page_adoptions_show_their_kind_and_source_type(catalog_env, built_catalog):
    found = rows(built_catalog, """SELECT org_id FROM v_adoptions GROUP BY org_id
                                   HAVING count(DISTINCT adoption_kind) > 1 AND bool_or(source_quality IN ('aggregator', 'other'))
                                   ORDER BY count(*), org_id LIMIT 1""")
    org_id = found["org_id"][0]
    expected = rows(built_catalog, "SELECT adoption_kind, source_url, source_quality FROM v_adoptions WHERE org_id = ?", [org_id])
    at = page("vendor.py", org=org_id).run()
    assert not at.exception, at.exception
    table = frame_with(at, "導入団体", "実績の種類", "出典の種類")
    assert sorted(table["実績の種類"]) == sorted(adoption_kinds.label(k, "ja") for k in expected["adoption_kind"])
    weak = expected["source_quality"].isin(source_quality.WEAK)
    assert table["出典の種類"].str.endswith("(弱い出典)").sum() == weak.sum() > 0


# -- hostile research text ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hostile_catalog(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile_facts")
    return hr.build(folder, ROOT / "data" / "seed", hr.write_hostile(folder / "research"))


@pytest.fixture
def hostile_env(hostile_catalog, monkeypatch, tmp_path):
    hostile.CANARY.unlink(missing_ok=True)
    monkeypatch.setenv("GOVMAP_CATALOG_PATH", str(hostile_catalog))
    monkeypatch.setenv("GOVMAP_STORE_PATH", str(tmp_path / "store" / "submissions.sqlite"))
    yield hostile_catalog
    assert not hostile.CANARY.exists(), "research text was evaluated as a template on the server"


def _markdown_texts(at: AppTest) -> list[str]:
    """Every string the page handed to an element that renders Markdown."""
    texts = [e.value for kind in ("markdown", "caption", "title", "subheader", "header", "info", "warning", "success")
             for e in getattr(at, kind)]
    texts += [e.label for e in at.expander]
    for table in at.table:
        texts += [str(c) for c in table.value.columns] + [str(i) for i in table.value.index]
        texts += [str(v) for v in table.value.to_numpy().ravel()]
    return texts


def _map_strings(at: AppTest) -> list[str]:
    out = []

    def walk(value):
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)
    for component in at.get("component_instance"):
        walk(json.loads(component.proto.json_args))
    return out


# Markdown that would be live if it reached a Markdown element unescaped: HTML, an image, a link to
# anything but http(s) (our own links are http(s), percent-encoded by escape.markdown_link), math,
# emphasis, an icon.  Escaped text has a backslash before each of these characters.
LIVE_MARKDOWN = re.compile(r"(?<!\\)<|(?<!\\)!\[|(?<!\\)\]\((?!https?://)|(?<!\\)\$|(?<!\\)\*\*|:material/verified:")


def _assert_inert(at: AppTest) -> None:
    assert not at.exception, at.exception
    for text in _markdown_texts(at):
        assert not LIVE_MARKDOWN.search(text), text
    for text in _map_strings(at):
        assert hostile.EVALUATED not in text and "<script>alert" not in text and "{{7*7}}" not in text


HOSTILE_RUNS = [
    ("vendor.py", "ja", {"org": hr.ORG_ID}),
    ("vendor.py", "en", {"org": hr.ORG_ID}),
    ("vendor.py", "ja", {"org": hr.ORG_ID, "print": "1"}),
    ("search.py", "ja", {"q": "ホスタイル", "layer": "adoptions"}),
    ("concentration.py", "ja", {"kinds": "all"}),
    ("alternatives.py", "ja", {"org": hr.ORG_ID, "muni": "401005", "kinds": "all"}),
]


@pytest.mark.parametrize("name,lang,params", HOSTILE_RUNS, ids=[f"{n}-{lg}-{p}" for n, lg, p in HOSTILE_RUNS])
def test_hostile_fact_values_and_names_render_inert(hostile_env, name, lang, params):
    at = page(name, lang, **params).run()
    _assert_inert(at)


def test_hostile_facts_are_shown_literally_with_http_sources_only(hostile_env):
    expected = rows(hostile_env, ORG_FACTS_SQL, [hr.ORG_ID])
    at = page("vendor.py", org=hr.ORG_ID).run()
    _assert_inert(at)
    name = rows(hostile_env, "SELECT name_ja FROM organisations WHERE org_id = ?", [hr.ORG_ID])["name_ja"][0]
    assert at.title[0].value == escape.markdown_text(name) and "<script>" in name  # the check above saw it
    table = frame_with(at, "対象", "出典の種類")
    assert len(table) == len(expected) >= len(hr.ORG_FACTS) + len(hr.SERVICE_FACTS)
    values = dict(zip(table["項目"], table["内容"]))
    assert values["別名・ブランド名"] == hr.PAYLOAD and values["価格(出典の記載)"] == hr.PAYLOAD  # plain grid cells
    assert values["API"] == "なし" and values["LGWAN-ASP"] == "あり"  # a source said so
    assert all(escape.is_http_url(u) for u in table["出典"])
    assert "まとめ・転載(弱い出典)" in set(table["出典の種類"])
    assert table.loc[table["項目"].eq("LGWAN-ASP"), "対象"].str.contains("組織としての記載を適用").any()
    # The contact and price pages are links made from http(s) URLs only, their text escaped.
    links = [m.value for m in at.markdown]
    assert f"問い合わせ窓口: {escape.markdown_link(hr.CONTACT_URL, hr.CONTACT_URL)}" in links
    assert f"価格ページ: {escape.markdown_link(hr.PRICE_URL, hr.PRICE_URL)}" in links
    # The service's profile: the known flags with their sources, every other item unknown, never "no".
    profile = frame_with(at, "乗り換え時に重要な理由", "出典")
    known = profile[profile["内容"].isin(["あり", "なし"])]
    assert set(known["項目"]) == {"API", "LGWAN-ASP"} and known["出典"].map(escape.is_http_url).all()
    assert (profile["内容"] == "不明").sum() == len(profile) - 2 - profile["内容"].eq(hr.PAYLOAD).sum()


def test_adopter_popup_shows_each_adoption_kind_escaped():
    point = {"adopter_name": hr.NAME_JA, "n_adoptions": 2, "n_vendors": 1, "vendors": [hr.NAME_JA],
             "adoptions": [[hr.NAME_JA, hr.PAYLOAD, 2022], [hr.NAME_JA, "住民記録", None]],
             "kinds": ["agreement", "<script>alert(9)</script>{{7*7}}"]}
    ja = mapview.adoption_popup_html(point, "ja")
    assert "(2022 / 協定・覚書)" in ja and "(年不明 / " in ja
    assert "(2022 / agreement (MoU))" in mapview.adoption_popup_html(point, "en")
    body = ja.removeprefix('<div class="govmap-popup">').removesuffix("</div>").replace("<br>", "").replace("<b>", "").replace("</b>", "")
    for raw in ("<", "{{", "${"):
        assert raw not in body  # HTML-escaped, braces and dollars as character references (escape.js_template_html)
    assert "(2020)" in mapview.adoption_popup_html({**point, "kinds": None, "adoptions": [["v", "s", 2020]]}, "ja")


# -- market share: contracts and joint procurements unless ?kinds=all ------------------------------
@pytest.fixture(scope="module")
def kinds_catalog(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("kinds")
    return hr.build(folder, FIXTURE, hr.write_agreement(folder / "research"))


@pytest.fixture
def kinds_env(kinds_catalog, monkeypatch, tmp_path):
    monkeypatch.setenv("GOVMAP_CATALOG_PATH", str(kinds_catalog))
    monkeypatch.setenv("GOVMAP_STORE_PATH", str(tmp_path / "store" / "submissions.sqlite"))
    return kinds_catalog


# The fixture's core_systems contracts: incumbent 3, alt_far 2, alt_nowhere 1 = 6 → HHI 10,000 × 14/36.
# With alt_tie_a's agreement: 7 adoptions → 10,000 × (9 + 4 + 1 + 1)/49.
HHI_MARKET, HHI_ALL = 140000 / 36, 150000 / 49


def test_concentration_views_count_contracts_unless_every_kind(kinds_catalog):
    cat = Catalog(kinds_catalog)
    try:
        an = Analytics(cat, Browser(cat))
        market = an.concentration_of("national", "core_systems").iloc[0]
        every = an.concentration_of("national", "core_systems", all_kinds=True).iloc[0]
    finally:
        cat.close()
    assert (market["n_adoptions"], market["hhi"]) == (6, pytest.approx(HHI_MARKET))
    assert (every["n_adoptions"], every["hhi"]) == (7, pytest.approx(HHI_ALL))


def _national_core(at: AppTest) -> dict:
    national = at.dataframe[0].value
    return national[national.iloc[:, 1] == "基幹業務システム(標準準拠)"].iloc[0].to_dict()


def test_concentration_page_counts_contracts_by_default_and_every_kind_when_ticked(kinds_env):
    at = page("concentration.py").run()
    assert not at.exception, at.exception
    assert "契約・共同調達のみを集計(協定・覚書、実証・試行、その他は含めていません)。" in [c.value for c in at.caption]
    assert _national_core(at)["HHI"] == round(HHI_MARKET) and "kinds" not in at.query_params
    at.checkbox(key="conc_all_kinds").check().run()
    assert not at.exception, at.exception
    assert at.query_params["kinds"] == "all"  # a code, not a label
    assert _national_core(at)["HHI"] == round(HHI_ALL)
    assert any(c.value.startswith("すべての種類の導入実績を集計") for c in at.caption)
    at.checkbox(key="conc_all_kinds").uncheck().run()
    assert "kinds" not in at.query_params and _national_core(at)["HHI"] == round(HHI_MARKET)


def test_concentration_link_with_every_kind_opens_ticked_and_unknown_values_are_dropped(kinds_env):
    at = page("concentration.py", "en", kinds="all").run()
    assert not at.exception, at.exception
    assert at.checkbox(key="conc_all_kinds").value is True
    assert at.dataframe[0].value.query("Category == 'Core municipal systems (standard-compliant)'")["HHI"].iloc[0] == round(HHI_ALL)
    for label in ("すべて", "every", "ALL"):
        at = page("concentration.py", kinds=label).run()
        assert at.checkbox(key="conc_all_kinds").value is False and "kinds" not in at.query_params


def test_alternatives_count_contracts_unless_every_kind(kinds_env):
    cat = Catalog(kinds_env)
    try:
        an = Analytics(cat, Browser(cat))
        market = an.alternatives("incumbent", SHIBUYA).set_index("org_id")
        every = an.alternatives("incumbent", SHIBUYA, all_kinds=True).set_index("org_id")
    finally:
        cat.close()
    # alt_tie_a's agreement at 渋谷区 adds, with every kind, 0.20 × 1/10 + 0.15 × 1/3 → 2 + 5 = 7 points.
    assert (market.loc["alt_tie_a", "n_adoptions_in_categories"], market.loc["alt_tie_a", "nearby_adoptions"]) == (0, 0)
    assert (every.loc["alt_tie_a", "n_adoptions_in_categories"], every.loc["alt_tie_a", "nearby_adoptions"]) == (1, 1)
    assert every.loc["alt_tie_a", "score"] - market.loc["alt_tie_a", "score"] == pytest.approx(7.0)
    at = page("alternatives.py", muni=SHIBUYA, org="incumbent").run()
    assert not at.exception, at.exception
    assert any(c.value.startswith("契約・共同調達のみを集計") for c in at.caption)
    before = frame_with(at, "org_id", "スコア").set_index("org_id").loc["alt_tie_a", "スコア"]
    at.checkbox(key="alt_all_kinds").check().run()
    assert at.query_params["kinds"] == "all" and at.query_params["muni"] == SHIBUYA
    after = frame_with(at, "org_id", "スコア").set_index("org_id").loc["alt_tie_a", "スコア"]
    assert after - before == pytest.approx(7.0)


# -- the LGWAN-ASP filter on the shipped catalog ------------------------------------------------------
def test_lgwan_asp_filter_returns_the_catalogs_lgwan_vendors(catalog_env, built_catalog):
    expected = set(rows(built_catalog, "SELECT org_id FROM v_organisations WHERE lgwan_asp")["org_id"])
    assert len(expected) >= 1
    cat = Catalog(built_catalog)
    try:
        result = Browser(cat).run("", Filters(flags=["lgwan_asp"]))
    finally:
        cat.close()
    assert set(result.org_ids()) == expected
    assert result.counts["flags"]["lgwan_asp"] == len(expected) > 0
    at = page("search.py", flag="lgwan_asp").run()
    assert not at.exception, at.exception
    assert at.multiselect(key="f_flags").value == ["lgwan_asp"]
    shown = set(frame_with(at, "org_id", "名称")["org_id"])
    assert shown and shown <= expected
    assert f"LGWAN-ASP ({len(expected)})" in at.multiselect(key="f_flags").options
