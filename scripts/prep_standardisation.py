"""Prepare data/standardisation/ from the reference snapshots (run once by a developer, offline).

    .venv/bin/python scripts/prep_standardisation.py /path/to/reference-data/standardisation

Writes small, reviewable files that the ETL (etl/standardisation.py) reads; nothing reads the
reference folder at run time.  What each file is and where it comes from: data/standardisation/SOURCES.md.

* standard_packages.csv is parsed from ``seed_packages.sql`` (GCInsight), not copied from the
  reference folder's ``standard_packages.csv``: that derived file merged two rows (NEC COKAS-i
  固定資産税, listed without a conformance number, swallowed 日立システムズ ADWORLD 住民基本台帳
  001_6010701025710_1).  Every listed row is kept; ``corporate_numbers`` are the 13-digit 法人番号
  embedded in the conformance number (two for a joint listing).
* municipality_progress.csv: standardization.json's 1,741 municipalities, one row each, the overall
  rate and one column per 業務 as named by the source (prefecture + name; matched to codes by the ETL).
* tokutei.csv: tokutei_detail.json's 935 bodies (6-digit code with check digit), ``businesses``
  ';'-separated as named by the source.
* summary.json: the sources' own national, prefecture and 業務 summaries, with their dates.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "data" / "standardisation"
_ROW = re.compile(r"\(\(SELECT id FROM vendors WHERE name='((?:[^']|'')*)' LIMIT 1\),\s*'((?:[^']|'')*)',\s*"
                  r"'((?:[^']|'')*)',\s*(?:'((?:[^']|'')*)'|null),\s*(?:'((?:[^']|'')*)'|null)\)", re.S)
_CN = re.compile(r"(?<!\d)(\d{13})(?!\d)")


def _text(value: str | None) -> str:
    return (value or "").replace("''", "'")


def packages(sql: str) -> list[dict]:
    body = sql.split("INSERT INTO packages", 1)[1].split("ON CONFLICT", 1)[0]
    rows = []
    for n, m in enumerate(_ROW.finditer(body), start=1):
        vendor, package, business, number, confirmed = (_text(g) for g in m.groups())
        current = number.split("\n")[0].strip()  # "…_2\n(旧：…_1)": the current number first
        rows.append({"entry_no": n, "vendor": vendor, "package": package, "business": business,
                     "conformance_no": number if re.search(r"\d", number) else "",
                     "corporate_numbers": ";".join(dict.fromkeys(_CN.findall(current))),
                     "confirmed_date": confirmed})
    return rows


def progress(data: dict) -> tuple[list[str], list[dict]]:
    businesses = [b["business"] for b in data["businesses"]]
    rows = [{"prefecture": m["prefecture"], "name": m["city"], "overall_rate": m["overall_rate"],
             **{b: m["business_rates"].get(b, "") for b in businesses}} for m in data["municipalities"]]
    return ["prefecture", "name", "overall_rate", *businesses], rows


def tokutei(data: dict) -> list[dict]:
    return [{"code": m["code"], "prefecture": m["prefecture"], "name": m["city"], "body_type": m["category"],
             "applicable_count": m["applicable_count"], "businesses": ";".join(m["applicable_businesses"])}
            for m in data["municipalities"]]


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"written: {path} ({len(rows)} rows)")


def main(argv: list[str]) -> int:
    src = Path(argv[0]) if argv else Path("/work/shared/reference-data/standardisation")
    OUT.mkdir(parents=True, exist_ok=True)
    rows = packages((src / "seed_packages.sql").read_text(encoding="utf-8"))
    write_csv(OUT / "standard_packages.csv", list(rows[0]), rows)
    std = json.loads((src / "standardization.json").read_text(encoding="utf-8"))
    columns, prog = progress(std)
    write_csv(OUT / "municipality_progress.csv", columns, prog)
    tok = json.loads((src / "tokutei_detail.json").read_text(encoding="utf-8"))
    write_csv(OUT / "tokutei.csv", ["code", "prefecture", "name", "body_type", "applicable_count", "businesses"], tokutei(tok))
    stats = json.loads((src / "migration_stats.json").read_text(encoding="utf-8"))
    summary = {
        "progress": {"summary": std["summary"], "prefectures": std["prefectures"], "businesses": std["businesses"]},
        "tokutei": {k: tok[k] for k in ("updated_at", "source", "source_url", "summary", "business_summary", "prefecture_summary")},
        "migration_stats": stats,
    }
    (OUT / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"written: {OUT / 'summary.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
