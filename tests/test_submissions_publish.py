"""Approved submissions through the real ETL into a real catalog: new organisations, updates of a
seed organisation that keep its facts and sources, the private contact nowhere in the catalog, the
background publish with its build/swap, and hostile text from the form to the map and exports."""

from __future__ import annotations

import time

import duckdb
import pytest

from entries import entry, flat, validated
from etl.build import build, read_inputs
from govmap import escape, validators
from govmap.finder import exports
from govmap.maps import mapview
from govmap.review import publish
from govmap.finder.catalog import Catalog
from govmap.review.store import Store
from govmap.review.submissions import Actor, Submissions
import shipped

ALICE = Actor("local:alice", "alice")


@pytest.fixture
def subs(tmp_path) -> Submissions:
    return Submissions(Store(tmp_path / "store.sqlite"))


def catalog_of(subs: Submissions, tmp_path, name="catalog.duckdb"):
    out, problems = build(tmp_path / name, inputs=read_inputs(store_path=subs.store.path), progress=False)
    assert not [p for p in problems if p.severity == "error"], problems
    return duckdb.connect(str(out), read_only=True)


def approved(subs, name="株式会社テストガバメント", nonce="n1", target=None, **overrides) -> str:
    payload, contact = entry(name, **overrides)
    receipt = subs.submit(payload, contact, token="t", nonce=nonce, target_org_id=target).receipt
    subs.approve(receipt, ALICE, 1)
    return receipt


def test_an_approved_submission_becomes_an_organisation_with_services_profile_and_adoptions(subs, tmp_path):
    receipt = approved(subs)
    pending = subs.submit(*entry("株式会社まだ審査中"), token="t", nonce="n2").receipt
    con = catalog_of(subs, tmp_path)
    org = con.execute("""SELECT org_id, name_ja, origin, hq_pref_name, hq_municipality_name, hq_address, geo_precision,
                                categories, has_api, open_export, isms, source_urls, n_adoptions, last_verified
                         FROM v_organisations WHERE origin = 'submission'""").fetchall()
    assert len(org) == 1
    (org_id, name, origin, pref, muni, address, precision, cats, has_api, open_export, isms, urls, n_ado, verified) = org[0]
    assert org_id == f"sub_{receipt}" and name == "株式会社テストガバメント" and origin == "submission"
    assert (pref, muni, address, precision) == ("東京都", "渋谷区", "東京都渋谷区渋谷2-1-1", "postal_code")
    assert cats == ["gis", "online_forms"] and n_ado == 1 and len(verified) == 10
    assert has_api is True and open_export is False and isms is None  # unknown stays unknown, never "no"
    assert urls == ["https://example.jp", "https://example.jp/about"]
    service = con.execute("SELECT service_id, name_ja, oss_license, developer_role, export_formats FROM v_services "
                          "WHERE org_id = ?", [org_id]).fetchall()
    assert service == [(f"{org_id}:1", "テスト申請", "MIT", "developer", "CSV, JSON")]
    adoption = con.execute("SELECT adopter_name, adopter_kind, category, year, source_url, origin FROM v_adoptions "
                           "WHERE org_id = ?", [org_id]).fetchall()
    assert adoption == [("北九州市", "municipality", "online_forms", 2024, "https://example.jp/case/kitakyushu", "submission")]
    assert con.execute("SELECT count(*) FROM organisations WHERE org_id = ?", [f"sub_{pending}"]).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM organisations").fetchone()[0] == shipped.organisations() + 1


def test_the_private_contact_is_nowhere_in_the_catalog(subs, tmp_path):
    approved(subs)
    con = catalog_of(subs, tmp_path)
    private = ("hanako.private@example.jp", "03-1234-5678", "山田 花子")
    for (table,) in con.execute("SELECT table_name FROM duckdb_tables() UNION ALL SELECT view_name FROM duckdb_views() "
                                "WHERE NOT internal AND schema_name = 'main'").fetchall():
        text = con.execute(f"SELECT * FROM {table}").df().to_csv()
        assert not any(p in text for p in private), table
    con.close()
    data = (tmp_path / "catalog.duckdb").read_bytes()
    assert not any(p.encode() in data for p in private)


def test_an_approved_update_of_a_seed_organisation_keeps_its_facts_and_sources(subs, tmp_path):
    before = catalog_of(subs, tmp_path, "before.duckdb")
    seed = before.execute("SELECT founded_year, source_urls, n_adoptions, hq_municipality_name, n_services FROM v_organisations "
                          "WHERE org_id = 'graffer'").fetchone()
    ids_before = [r[0] for r in before.execute("SELECT service_id FROM services WHERE org_id = 'graffer' ORDER BY 1").fetchall()]
    approved(subs, "株式会社グラファー", target="graffer", **{"org.founded_year": "", "org.website": "https://graffer.jp",
                                                           "org.sources": "https://graffer.jp/company"})
    con = catalog_of(subs, tmp_path)
    assert con.execute("SELECT count(*) FROM organisations").fetchone()[0] == shipped.organisations()  # updated, not duplicated
    row = con.execute("""SELECT name_en, founded_year, source_urls, n_adoptions, n_services, categories, origin,
                                description FROM v_organisations WHERE org_id = 'graffer'""").fetchone()
    name_en, founded, urls, n_ado, n_svc, cats, origin, description = row
    assert name_en == "Test Government Inc." and description == "自治体向けの電子申請サービス"  # the vendor's update
    assert founded == seed[0] == 2017  # left empty in the submission: the seed's fact stays
    assert set(seed[1]) < set(urls) and "https://graffer.jp/company" in urls  # sources: the union
    assert n_ado == seed[2] + 1 and n_svc == seed[4] + 1 and "gis" in cats and "identity_security" in cats
    assert origin == "seed"
    ids = [r[0] for r in con.execute("SELECT service_id FROM services WHERE org_id = 'graffer' ORDER BY 1").fetchall()]
    assert ids == sorted([*ids_before, "graffer:2"])  # the submitted service follows the seed's own :1


def test_merge_into_an_organisation_and_a_repeated_adoption_is_not_added_twice(subs, tmp_path):
    first = approved(subs)
    payload, contact = entry("テストガバメント株式会社")
    second = subs.submit(payload, contact, token="t", nonce="n2").receipt
    subs.merge(second, ALICE, 1, f"sub_{first}", "同じ会社")
    con = catalog_of(subs, tmp_path)
    assert con.execute("SELECT count(*) FROM organisations WHERE origin = 'submission'").fetchone()[0] == 1
    assert con.execute("SELECT n_adoptions, n_services FROM v_organisations WHERE org_id = ?",
                       [f"sub_{first}"]).fetchone() == (1, 2)


def test_publish_rebuilds_in_the_background_while_readers_keep_the_old_file(subs, tmp_path, monkeypatch, capsys):
    target = tmp_path / "live.duckdb"
    build(target, inputs=read_inputs(with_submissions=False), progress=False)
    monkeypatch.setenv("GOVMAP_CATALOG_PATH", str(target))
    reader = Catalog(target)
    receipt = approved(subs)
    started = time.perf_counter()
    publish.request("local:alice", subs.store.path)
    publish.request("local:bob", subs.store.path)  # coalesced: at most one more build
    assert publish.wait(120)
    elapsed = time.perf_counter() - started
    runs = subs.store.publishes()
    assert runs and all(r["ok"] == 1 for r in runs) and len(runs) <= 2, runs
    assert reader.figures()["organisations"] == shipped.organisations() and reader.is_stale()  # the old file, undisturbed
    reader.close()  # DuckDB hands out the old instance while a connection to it is open (ui/context.catalog)
    fresh = Catalog(target)
    assert fresh.frame("SELECT org_id FROM organisations WHERE origin = 'submission'")["org_id"].tolist() == [f"sub_{receipt}"]
    assert fresh.meta()["submissions_sha256"]
    assert elapsed < 60, f"published in {elapsed:.1f} s"
    with capsys.disabled():
        print(f"\napproval to swapped-in catalog: {elapsed:.1f} s ({len(runs)} build(s) for 2 requests)")


def valid_corporate_number(base12: str = "234567890123") -> str:
    return str(validators.corporate_number_check_digit(base12)) + base12


HOSTILE_NAME = '=HYPERLINK("http://evil.example")<script>alert(1)</script>'
HOSTILE_EN = "${alert(2)}`+alert(3)+`\\`[x](javascript:alert(4))![i](http://evil.example/x.png)"
HOSTILE_NOTE = "\u202eevil\u200b <img src=x onerror=alert(5)> **bold** [link](http://evil.example)"


def hostile_flat() -> dict:
    number = "".join(chr(ord(d) + 0xFEE0) for d in valid_corporate_number())  # full-width digits
    return flat(HOSTILE_NAME, **{
        "org.name_en": HOSTILE_EN, "org.description": HOSTILE_NOTE, "org.corporate_number": number,
        "org.postal_code": "１５０－０００２", "org.founded_year": "２０１９",
        "svc.0.name_ja": "+cmd|' /C calc'!A0 <b>svc</b>", "svc.0.offerings_ja": "=1+1; @SUM(A1); ${x}",
        "svc.0.export_formats": "<script>alert(6)</script>", "ado.0.year": "２０２３"})


def test_hostile_form_input_is_refused_where_invalid_and_kept_as_text_everywhere_else(subs, tmp_path):
    bad = validated(flat(**{"org.website": "javascript:alert(1)", "org.sources": "data:text/html,<script>x</script>",
                            "org.description": "x" * 10_000, "ado.0.url": "JaVaScRiPt:alert(1)",
                            "org.corporate_number": "1234567890123"}))
    assert {"org.website", "org.sources", "org.description", "ado.0.url", "org.corporate_number"} <= set(bad.errors)
    result = validated(hostile_flat())
    assert result.ok, {k: v.en for k, v in result.errors.items()}
    assert result.entry["org"]["corporate_number"] == valid_corporate_number()
    assert "\u202e" not in result.entry["org"]["description"] and "\u200b" not in result.entry["org"]["description"]
    receipt = subs.submit(result.entry, result.contact, token="t", nonce="h").receipt
    subs.approve(receipt, ALICE, 1)
    con = catalog_of(subs, tmp_path)
    orgs = con.execute("SELECT * FROM v_organisations WHERE origin = 'submission'").df()
    assert orgs["name_ja"][0] == HOSTILE_NAME and orgs["name_en"][0] == HOSTILE_EN  # stored as text, as typed
    located = orgs.assign(hq_label="東京都渋谷区")
    html = mapview.build_map(located, None, category_labels={}).get_root().render()
    popup = mapview.org_popup_html(located.to_dict("records")[0], {})
    for raw in ("<script>alert(1)", "${alert(2)}", "`+alert(3)+`", "<img src=x", "\\`", 'href="javascript',
                "href=\\\"javascript", 'src="http://evil', "<b>svc"):
        assert raw not in html and raw not in popup, raw
    assert html.count("javascript:alert(4)") == 1  # there, as plain text inside the escaped name
    assert escape.js_template_html(HOSTILE_NAME) in popup
    frame = con.execute("SELECT o.name_ja, o.name_en, o.description, s.offerings_ja, s.name_ja AS service "
                        "FROM v_organisations o JOIN v_services s USING (org_id) WHERE o.origin = 'submission'").df()
    text = exports.csv_bytes(frame).decode("utf-8-sig")
    cells = [c for line in text.splitlines() for c in line.split(",")]
    assert not any(c.lstrip('"').startswith(("=", "+", "@")) for c in cells), cells
    assert "'=HYPERLINK" in text and "'+cmd" in text and "'=1+1" in text
