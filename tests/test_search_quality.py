"""Search quality on the shipped catalog: a labelled query set (tests/search_queries.csv) in
kanji, hiragana, katakana, romaji, English, legal-form variants, typos, places and synonyms.

Thresholds (docs/search.md explains them): every named-organisation query puts that
organisation first; category queries reach mean precision@5 ≥ 0.9 and recall@10 ≥ 0.9 — a buyer
scanning the first screen should see only relevant vendors, and nearly all of them within ten.
"""

import csv
from pathlib import Path

import pytest

from govmap.browse import Browser
from govmap.catalog import Catalog
from govmap.facets import Filters

QUERIES = list(csv.DictReader(open(Path(__file__).with_name("search_queries.csv"), encoding="utf-8")))


@pytest.fixture(scope="module")
def browser(built_catalog):
    return Browser(Catalog(built_catalog))


def ranked_ids(browser, query):
    return list(browser.run(query, Filters()).orgs["org_id"])


def relevant(browser, spec):
    code = spec.removeprefix("cat:")
    return set(browser.orgs[browser.orgs["categories"].map(lambda c: code in c)]["org_id"])


def test_query_set_is_large_and_varied():
    assert len(QUERIES) >= 30
    assert len({q["kind"] for q in QUERIES}) >= 10


@pytest.mark.parametrize("row", [q for q in QUERIES if q["expect_top"]], ids=lambda q: q["query"])
def test_named_organisation_comes_first(browser, row):
    ids = ranked_ids(browser, row["query"])
    assert ids and ids[0] == row["expect_top"], ids[:5]


def test_category_queries_precision_and_recall(browser, capsys):
    p5, r10 = [], []
    for row in (q for q in QUERIES if q["relevant"]):
        ids, rel = ranked_ids(browser, row["query"]), relevant(browser, row["relevant"])
        p5.append(len(set(ids[:5]) & rel) / min(5, len(rel)))
        r10.append(len(set(ids[:10]) & rel) / min(10, len(rel)))
    mean_p5, mean_r10 = sum(p5) / len(p5), sum(r10) / len(r10)
    with capsys.disabled():
        print(f"\nsearch quality: precision@5={mean_p5:.3f} recall@10={mean_r10:.3f} over {len(p5)} category queries")
    assert mean_p5 >= 0.9 and mean_r10 >= 0.9


def test_every_result_says_why_it_matched(browser):
    result = browser.run("電子申請", Filters())
    assert all(r for r in result.orgs["reasons"])
