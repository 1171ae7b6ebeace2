"""Validation names file, row, column and reason for every kind of bad input."""

import pytest

from etl.build import check, read_inputs


def problems_after(seed_copy, file, old, new):
    path = seed_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [p for p in check(read_inputs(seed_dir=seed_copy, with_submissions=False)) if p.severity == "error"]


def test_shipped_seed_data_has_no_errors():
    problems = check(read_inputs(with_submissions=False))
    assert [str(p) for p in problems if p.severity == "error"] == []


@pytest.mark.parametrize("file,old,new,column,needle", [
    ("vendors.csv", "online_forms;identity_security;cashless", "online_forms;bogus", "categories", "unknown category"),
    ("vendors.csv", "https://graffer.jp,", "javascript:alert(1),", "website", "http"),
    ("vendors.csv", "4011005005632", "4011005005633", "corporate_number", "check digit"),
    ("vendors.csv", "4011005005632", "40110050056", "corporate_number", "13 digits"),
    ("vendors.csv", "1638019", "163-80X9", "hq_postal_code", "7 digits"),
    ("vendors.csv", "graffer,株式会社グラファー", "playnext_lab,株式会社グラファー", "vendor_key", "duplicated"),
    ("vendors.csv", ",東京都,渋谷区,", ",東京都,渋谷町,", "hq_municipality", "unknown municipality"),
    ("vendors.csv", ",東京都,渋谷区,", ",東京県,渋谷区,", "hq_prefecture", "unknown prefecture"),
    ("adoptions.csv", "graffer,北九州市", "nobody,北九州市", "vendor_key", "unknown organisation"),
    ("adoptions.csv", "graffer,北九州市,福岡県", "graffer,北九州村,福岡県", "adopter_name_ja", "unknown municipality"),
    ("adoptions.csv", "graffer,北九州市,福岡県,online_forms", "graffer,北九州市,福岡県,bogus", "category", "unknown category"),
    ("adoptions.csv", "Graffer スマート申請,2020", "Graffer スマート申請,２０２０年", "year", "year"),
])
def test_each_error_kind_is_reported_with_file_row_and_column(seed_copy, file, old, new, column, needle):
    problems = problems_after(seed_copy, file, old, new)
    hits = [p for p in problems if p.column == column and needle in p.reason]
    assert hits, [str(p) for p in problems]
    assert hits[0].file == file and hits[0].row >= 2


def test_likely_duplicates_are_reported_not_merged(seed_copy):
    path = seed_copy / "vendors.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    copy = lines[1].replace("graffer,株式会社グラファー", "graffer2,グラファー株式会社", 1)
    path.write_text("\n".join(lines + [copy]) + "\n", encoding="utf-8")
    problems = check(read_inputs(seed_dir=seed_copy, with_submissions=False))
    dupes = [p for p in problems if "duplicate" in p.reason and p.severity == "warning"]
    assert any("graffer" in p.reason for p in dupes)
