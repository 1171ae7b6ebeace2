"""Research slices for end-to-end tests of the sourced facts and the adoption kinds (issue 14).

``write_hostile`` writes a slice whose organisation, service, facts and adoption carry template,
Markdown and HTML payloads in every free-text value and in URL paths (tests/hostile.py has the
payloads and the server canary); ``write_agreement`` writes one agreement (協定) into the analytics
fixture (tests/fixtures/analytics), so that the market-share figures with and without every kind
differ by a number computed by hand.  ``build`` makes a real catalog from a seed folder and a
research folder with the real ETL.
"""

from __future__ import annotations

import csv
from pathlib import Path

import hostile

ROOT = Path(__file__).resolve().parent.parent
ORG_ID = "hostile_fact"
SERVICE_ID = "hostile_fact:svc"
# Every free-text fact value: Jinja, HTML, a javascript: link, an image, an icon, math, emphasis.
PAYLOAD = ("{{7*7}} {{ 'govmap' ~ '-evaluated' }} <script>alert('x')</script> [x](javascript:alert(1)) "
           "![i](http://evil.example/p.png) :material/verified: $x^2$ **bold** " + hostile.CANARY_PAYLOAD)
LEGAL_NAME = "株式会社ホスタイル{{7*7}}<script>alert(1)</script>(旧[x](javascript:alert(1)))"
NAME_JA = "ホスタイル事実{{7*7}}<b>x</b>[y](javascript:alert(2))"
SERVICE_NAME = "サービス{{7*7}}<script>alert(3)</script>"
CONTACT_URL = "https://e.example/contact/{{7*7}}"
PRICE_URL = "https://e.example/price/{{7*7}}"
SOURCE_URL = "https://e.example/src/{{7*7}}"
# field, value, source, as of, quality — the facts of the organisation, then of its service.
ORG_FACTS = [
    ("legal_name", LEGAL_NAME, SOURCE_URL + "/legal", "2024-05-01", "filing"),
    ("trade_name", PAYLOAD, SOURCE_URL + "/trade", "2024-05", "press"),
    ("contact_url", CONTACT_URL, SOURCE_URL + "/contact", "2024", "vendor"),
    ("lgwan_asp", "true", SOURCE_URL + "/lgwan", "2023-10-02", "aggregator"),
]
SERVICE_FACTS = [
    ("price_band", PAYLOAD, SOURCE_URL + "/price", "2024-06-30", "vendor"),
    ("export_formats", PAYLOAD, SOURCE_URL + "/export", "2024-06", "other"),
    ("has_api", "false", SOURCE_URL + "/api", "2024-07-01", "vendor"),
    ("price_url", PRICE_URL, SOURCE_URL + "/price-page", "2024-07", "vendor"),
]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def write_hostile(research: Path) -> Path:
    """One slice: a hostile organisation (北九州市), its service, its facts and one agreement."""
    folder = research / "hostile"
    _write(folder / "organisations.csv",
           ["org_key", "name_ja", "name_en", "org_type", "categories", "offerings_ja", "offerings_en", "description",
            "website", "source_url", "as_of"],
           [[ORG_ID, NAME_JA, "Hostile " + PAYLOAD[:120], "startup", "gis", PAYLOAD[:60], "", PAYLOAD,
             "https://e.example/{{7*7}}", SOURCE_URL + "/org", "2024-05"]])
    _write(folder / "services.csv",
           ["service_key", "org_key", "name_ja", "name_en", "categories", "offerings_ja", "description", "source_url", "as_of"],
           [[SERVICE_ID, ORG_ID, SERVICE_NAME, "", "gis", "", PAYLOAD, SOURCE_URL + "/svc", "2024-05"]])
    _write(folder / "facts.csv", ["entity_kind", "entity_key", "field", "value", "source_url", "as_of", "source_quality"],
           [["organisation", ORG_ID, *f] for f in ORG_FACTS] + [["service", SERVICE_ID, *f] for f in SERVICE_FACTS])
    _write(folder / "adoptions.csv",
           ["org_key", "service_key", "adopter_name_ja", "adopter_prefecture", "category", "service_name", "year",
            "adoption_kind", "source_url", "as_of", "source_quality"],
           [[ORG_ID, SERVICE_ID, "北九州市", "福岡県", "gis", PAYLOAD, "2022", "agreement", SOURCE_URL + "/adoption",
             "2022-04", "aggregator"],
            [ORG_ID, SERVICE_ID, "福岡市", "福岡県", "gis", SERVICE_NAME, "2023", "contract", SOURCE_URL + "/adoption2",
             "2023-04", "official_municipal"]])
    return research


def write_agreement(research: Path) -> Path:
    """One agreement of alt_tie_a at 渋谷区 in core_systems (a vendor with no contract recorded), and
    a named service of alt_tie_a (its categories are unchanged, so the hand-computed figures hold)."""
    _write(research / "kinds" / "services.csv",
           ["service_key", "org_key", "name_ja", "name_en", "categories", "offerings_ja", "description", "source_url", "as_of"],
           [["alt_tie_a:kikan", "alt_tie_a", "タイA基幹", "", "core_systems", "", "", "https://example.org/src/tie_a",
             "2024-04"]])
    _write(research / "kinds" / "adoptions.csv",
           ["org_key", "service_key", "adopter_name_ja", "adopter_prefecture", "category", "service_name", "year",
            "adoption_kind", "source_url", "as_of", "source_quality"],
           [["alt_tie_a", "", "渋谷区", "東京都", "core_systems", "基幹業務の連携協定", "2024", "agreement",
             "https://example.org/adoption/agreement", "2024-04", "official_municipal"]])
    return research


def build(folder: Path, seed_dir: Path, research_dir: Path) -> Path:
    """The real ETL build of ``seed_dir`` + ``research_dir`` into ``folder/catalog.duckdb``."""
    from etl.build import build as etl_build, read_inputs
    out = folder / "catalog.duckdb"
    etl_build(out, inputs=read_inputs(seed_dir=seed_dir, research_dir=research_dir, with_submissions=False,
                                      with_standardisation=False), progress=False)
    return out
