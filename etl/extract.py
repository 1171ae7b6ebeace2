"""Extract: read the inputs as text, untouched except for NFKC at the boundary.

Every row keeps ``_file`` and ``_row`` (the line number a spreadsheet shows, header = 1) so that
validation errors can name them.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd

from govmap import escape
from govmap.normalize import boundary

VENDOR_COLUMNS = ("vendor_key", "name_ja", "name_en", "org_type", "hq_prefecture", "hq_municipality",
                  "hq_postal_code", "website", "corporate_number", "founded_year", "categories",
                  "offerings_ja", "offerings_en", "notes", "sources")
ADOPTION_COLUMNS = ("vendor_key", "adopter_name_ja", "adopter_prefecture", "category", "service_name",
                    "year", "source_url")


# URLs are kept exactly as found (NFKC would turn （ into ( and so change the address).
URL_COLUMNS = frozenset({"website", "sources", "source_url"})


def _cell(column: str, value: str | None) -> str:
    if column in URL_COLUMNS:
        return escape.plain(value).strip()
    return boundary(value)


class InputError(Exception):
    """An input file that cannot be read at all (missing, wrong header)."""


def read_csv_rows(path: Path, required: tuple[str, ...]) -> pd.DataFrame:
    """All cells as NFKC-normalised text ('' for empty), plus _file and _row."""
    if not path.exists():
        raise InputError(f"{path}: file not found")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"{path.name}: missing columns {', '.join(missing)}")
        rows = [{k: _cell(k, v) for k, v in row.items() if k is not None} | {"_row": reader.line_num}
                for row in reader]
    frame = pd.DataFrame(rows, columns=[*(reader.fieldnames or []), "_row"])
    frame["_file"] = path.name
    return frame.fillna("")


def read_seed(seed_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return (read_csv_rows(seed_dir / "vendors.csv", VENDOR_COLUMNS),
            read_csv_rows(seed_dir / "adoptions.csv", ADOPTION_COLUMNS))


def read_categories(path: Path) -> pd.DataFrame:
    return read_csv_rows(path, ("code", "label_ja", "label_en", "sort_order"))


def read_gazetteer(directory: Path) -> dict[str, pd.DataFrame]:
    return {name: pd.read_parquet(directory / f"{name}.parquet")
            for name in ("municipalities", "prefectures", "postal_codes")}


def inputs_sha256(paths: list[Path]) -> str:
    """Checksum of the inputs, stored in catalog_meta so a stale catalog can be detected."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
