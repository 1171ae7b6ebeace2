"""地方公共団体情報システム標準化 (the 20 core 業務): read data/standardisation/, match every name, and
make the catalog's std_* tables and the package vendors' organisations.

Inputs (data/standardisation/SOURCES.md says where each comes from and how old it is):
``gyomu.csv`` (the 20 業務 + 共通機能 and the names the sources use for them), ``standard_packages.csv``
(conformant packages), ``municipality_progress.csv`` (1,741 municipalities, keyed by prefecture +
name), ``tokutei.csv`` (特定移行支援 bodies, 6-digit codes), ``sources.csv`` (title, publisher, URL,
as-of date of each dataset).

Names are matched, never guessed: a municipality by (prefecture, folded name) against the gazetteer's
1,741 municipalities, then through ``KANJI_VARIANTS``; a vendor to a seed organisation by 法人番号 or by
normalised name (current or former); a source's 業務 name through gyomu.csv.  Whatever does not match
is kept (code NULL) and reported by ``problems`` (``python -m etl validate``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from govmap import settings, validators
from govmap.normalize import legal_form, name_key, place_key, romaji_key
from etl.extract import read_csv_rows
from etl.validate import Problem, split_list

DIR = settings.ROOT / "data" / "standardisation"
FILES = ("gyomu.csv", "standard_packages.csv", "municipality_progress.csv", "tokutei.csv", "sources.csv")
CATEGORY = "core_systems"
# Old and new forms of the same kanji, as the sources and the gazetteer write them.
KANJI_VARIANTS = str.maketrans({"檮": "梼", "惠": "恵", "﨑": "崎", "髙": "高", "邊": "辺", "邉": "辺"})
_FUNCTION_CODE = re.compile(r"^(\d{3}(?:-\d)?)_")
_SLASH = re.compile(r"[／/]")
_FORMER = re.compile(r"[（(]旧[：:]?\s*([^）)]*)[）)]")


@dataclass
class StdInputs:
    gyomu: pd.DataFrame
    packages: pd.DataFrame
    progress: pd.DataFrame
    tokutei: pd.DataFrame
    sources: pd.DataFrame
    files: list[Path] = field(default_factory=list)

    def source(self, dataset: str) -> dict:
        return self.sources.set_index("dataset").loc[dataset].to_dict()


def read(directory: Path | None = None) -> StdInputs:
    directory = Path(directory or DIR)
    return StdInputs(
        read_csv_rows(directory / "gyomu.csv", ("code", "name_ja", "name_en", "sort_order", "aliases")),
        read_csv_rows(directory / "standard_packages.csv", ("entry_no", "vendor", "package", "business",
                                                            "conformance_no", "corporate_numbers", "confirmed_date")),
        read_csv_rows(directory / "municipality_progress.csv", ("prefecture", "name", "overall_rate")),
        read_csv_rows(directory / "tokutei.csv", ("code", "prefecture", "name", "body_type", "businesses")),
        read_csv_rows(directory / "sources.csv", ("dataset", "title_ja", "title_en", "publisher", "source_url",
                                                  "as_of", "licence")),
        [directory / name for name in FILES])


# -- names ----------------------------------------------------------------------------------------
def gyomu_of(gyomu: pd.DataFrame) -> dict[str, str | None]:
    """Every 業務 name the sources use → gyomu code (the 20 + 共通機能 and their aliases)."""
    out: dict[str, str | None] = {}
    for row in gyomu.to_dict("records"):
        for name in (row["name_ja"], *split_list(row["aliases"])):
            out[place_key(name)] = row["code"]
    return out


class MunicipalityMatcher:
    """(prefecture, name) → gazetteer code of one of the 1,741 municipalities (wards excluded)."""

    def __init__(self, municipalities: pd.DataFrame):
        base = municipalities[municipalities["kind"] != "ward"]
        self.by_key = {(r["pref_name"], self.key(r["name_ja"])): r["code"] for r in base.to_dict("records")}
        self.codes = set(base["code"])

    @staticmethod
    def key(name: str) -> str:
        return place_key(str(name).translate(KANJI_VARIANTS))

    def __call__(self, prefecture: str, name: str) -> str | None:
        return self.by_key.get((prefecture, self.key(name)))


def _vendor_names(listed: str) -> tuple[list[str], list[str]]:
    """Current and former names of a listing ('A／B\\n(旧：C／D)' names a joint listing)."""
    former = [n.strip() for m in _FORMER.finditer(listed) for n in _SLASH.split(m.group(1)) if n.strip()]
    current = [n.strip() for n in _SLASH.split(_FORMER.sub("", listed).replace("\n", "")) if n.strip()]
    return current, former


def _seed_keys(name: str) -> list[str]:
    """Keys of a seed name and of its parenthesised alias: 西日本電信電話株式会社(NTT西日本)."""
    inner = [re.sub(r"^旧[：:]?", "", m) for m in re.findall(r"[（(]([^）)]*)[）)]", name)]
    return [k for k in (name_key(re.sub(r"[（(][^）)]*[）)]", "", name)), *map(name_key, inner)) if len(k) >= 2]


def vendor_orgs(packages: pd.DataFrame, seed: pd.DataFrame) -> pd.DataFrame:
    """One row per vendor of the list (by 法人番号): org_id (a seed organisation's, or std_<法人番号>),
    names, 法人番号 and how it was matched."""
    by_cn = {cn: k for k, cn in zip(seed["vendor_key"], seed["corporate_number"]) if cn}
    by_name = {key: k for k, name in zip(seed["vendor_key"], seed["name_ja"]) for key in _seed_keys(name)}
    vendors: dict[str, dict] = {}
    for row in packages.to_dict("records"):
        current, former = _vendor_names(row["vendor"])
        numbers = split_list(row["corporate_numbers"])
        if len(numbers) != len(current):  # one number per named vendor, else the listing is unclear
            continue
        for i, (cn, name) in enumerate(zip(numbers, current)):
            if cn in vendors:
                continue
            names = [name, *(former[i:i + 1] if len(former) == len(current) else [])]
            org_id, how = by_cn.get(cn), "corporate_number"
            if org_id is None:
                org_id = next((by_name[k] for n in names if (k := name_key(n)) in by_name), None)
                how = "name" if org_id else "new"
            vendors[cn] = {"corporate_number": cn, "org_id": org_id or f"std_{cn}", "name_ja": name,
                           "former_name": names[1] if len(names) > 1 else None, "matched_by": how}
    return pd.DataFrame(list(vendors.values()), columns=["corporate_number", "org_id", "name_ja", "former_name", "matched_by"])


# -- tables ---------------------------------------------------------------------------------------
def gyomu_tables(gyomu: pd.DataFrame, packages: pd.DataFrame, tokutei: pd.DataFrame,
                 progress_columns: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    table = pd.DataFrame({"code": gyomu["code"], "name_ja": gyomu["name_ja"], "name_en": gyomu["name_en"],
                          "sort_order": gyomu["sort_order"].astype(int), "is_common": gyomu["code"].eq("common")})
    lookup = gyomu_of(gyomu)
    names = {("gyomu.csv", n) for n in gyomu["name_ja"]} | {("gyomu.csv", a) for a in gyomu["aliases"].map(split_list).sum()}
    names |= {("standard_packages.csv", n) for n in packages["business"]}
    names |= {("tokutei.csv", n) for s in tokutei["businesses"] for n in split_list(s)}
    names |= {("municipality_progress.csv", n) for n in progress_columns}
    rows = {}
    for source, name in sorted(names):
        entry = rows.setdefault(name, {"alias": name, "gyomu": lookup.get(place_key(name)), "sources": []})
        entry["sources"].append(source)
    return table, pd.DataFrame(list(rows.values()))


def _function_code(number: str) -> str | None:
    m = _FUNCTION_CODE.match(number)
    return m.group(1) if m else None


def package_rows(packages: pd.DataFrame, vendors: pd.DataFrame, gyomu: pd.DataFrame, source: dict) -> pd.DataFrame:
    lookup, org_of = gyomu_of(gyomu), dict(zip(vendors["corporate_number"], vendors["org_id"]))
    cn_of_name = dict(zip(vendors["name_ja"], vendors["corporate_number"]))
    rows = []
    for p in packages.to_dict("records"):
        # A row listed without a conformance number has no 法人番号 of its own: find its vendor by name.
        numbers = split_list(p["corporate_numbers"]) or [cn_of_name.get(n) for n in _vendor_names(p["vendor"])[0]]
        for cn in numbers:
            if cn not in org_of:
                continue
            rows.append({"entry_no": int(p["entry_no"]), "org_id": org_of[cn], "vendor_name": p["vendor"].split("\n")[0],
                         "package_name": p["package"], "function_name": p["business"],
                         "function_code": _function_code(p["conformance_no"]), "gyomu": lookup.get(place_key(p["business"])),
                         "conformance_no": p["conformance_no"] or None, "corporate_number": cn,
                         "confirmed_date": p["confirmed_date"] or None, "source_url": source["source_url"],
                         "as_of": source["as_of"]})
    frame = pd.DataFrame(rows)
    frame["confirmed_date"] = pd.to_datetime(frame["confirmed_date"]).dt.date
    return frame


def progress_rows(progress: pd.DataFrame, match: MunicipalityMatcher, gyomu: pd.DataFrame,
                  source: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    lookup = gyomu_of(gyomu)
    columns = [c for c in progress.columns if c not in ("prefecture", "name", "overall_rate", "_row", "_file")]
    munis, rates = [], []
    for r in progress.to_dict("records"):
        code = match(r["prefecture"], r["name"])
        base = {"code": code, "pref_name": r["prefecture"], "municipality_name": r["name"],
                "data_month": source["as_of"], "source_url": source["source_url"]}
        munis.append({**base, "overall_rate": float(r["overall_rate"])})
        rates += [{**base, "gyomu": lookup.get(place_key(c)), "business_name": c, "rate": float(r[c])}
                  for c in columns if r[c] != ""]
    return pd.DataFrame(munis), pd.DataFrame(rates)


def tokutei_rows(tokutei: pd.DataFrame, match: MunicipalityMatcher, gyomu: pd.DataFrame, source: dict) -> pd.DataFrame:
    lookup = gyomu_of(gyomu)
    rows = []
    for r in tokutei.to_dict("records"):
        is_muni = r["code"] in match.codes
        for name in split_list(r["businesses"]):
            rows.append({"code": r["code"], "body_name": r["name"] or r["prefecture"], "pref_name": r["prefecture"],
                         "body_type": r["body_type"], "municipality_code": r["code"] if is_muni else None,
                         "gyomu": lookup.get(place_key(name)), "business_name": name,
                         "as_of": source["as_of"], "source_url": source["source_url"]})
    return pd.DataFrame(rows)


def organisations(vendors: pd.DataFrame, seed_orgs: pd.DataFrame, source: dict) -> pd.DataFrame:
    """New organisations for vendors that are not in the seed (nothing but what the list states)."""
    new = vendors[~vendors["org_id"].isin(set(seed_orgs["org_id"]))]
    return pd.DataFrame([{
        "org_id": v["org_id"], "name_ja": v["name_ja"], "name_en": None, "name_kana": None,
        "legal_form": legal_form(v["name_ja"]), "corporate_number": v["corporate_number"], "org_type": None,
        "geo_precision": None, "description": None, "last_verified": source["as_of"], "origin": "reference",
        "name_key": name_key(v["name_ja"]), "name_en_key": None, "romaji_key": romaji_key(v["name_ja"]) or None,
    } for v in new.to_dict("records")], columns=seed_orgs.columns)


def services(packages: pd.DataFrame, gyomu: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One standard-compliant service per (organisation, package) with a conformance number."""
    labels = dict(zip(gyomu["code"], gyomu["name_ja"]))
    labels_en = dict(zip(gyomu["code"], gyomu["name_en"]))
    conformant = packages[packages["conformance_no"].notna()]
    rows, cats = [], []
    for org_id, group in conformant.groupby("org_id", sort=True):
        for n, (package, rows_of) in enumerate(group.groupby("package_name", sort=True), start=1):
            codes = [c for c in dict.fromkeys(rows_of.sort_values("entry_no")["gyomu"]) if isinstance(c, str)]
            service_id = f"{org_id}:std{n}"
            rows.append({"service_id": service_id, "org_id": org_id, "name_ja": package, "name_en": None,
                         "offerings_ja": [labels[c] for c in codes], "offerings_en": [labels_en[c] for c in codes],
                         "description": None, "standard_compliant": True,
                         "last_verified": str(max(rows_of["confirmed_date"]))})
            cats.append({"service_id": service_id, "category": CATEGORY})
    return pd.DataFrame(rows), pd.DataFrame(cats)


def sources_table(sources: pd.DataFrame) -> pd.DataFrame:
    return sources[["dataset", "title_ja", "title_en", "publisher", "source_url", "as_of", "licence"]].copy()


def tables(std: StdInputs, municipalities: pd.DataFrame, seed_vendors: pd.DataFrame,
           seed_orgs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The std_* tables and the rows to add to organisations / services / service_categories."""
    match = MunicipalityMatcher(municipalities)
    vendors = vendor_orgs(std.packages, seed_vendors)
    pk_source, pr_source, tk_source = (std.source(d) for d in ("packages", "progress", "tokutei"))
    packages = package_rows(std.packages, vendors, std.gyomu, pk_source)
    munis, progress = progress_rows(std.progress, match, std.gyomu, pr_source)
    progress_columns = [c for c in std.progress.columns if c not in ("prefecture", "name", "overall_rate", "_row", "_file")]
    gyomu, aliases = gyomu_tables(std.gyomu, std.packages, std.tokutei, progress_columns)
    svc, cats = services(packages, std.gyomu)
    return {"gyomu": gyomu, "gyomu_aliases": aliases, "std_sources": sources_table(std.sources),
            "std_vendors": vendors, "std_packages": packages, "std_municipalities": munis, "std_progress": progress,
            "std_tokutei": tokutei_rows(std.tokutei, match, std.gyomu, tk_source),
            "_organisations": organisations(vendors, seed_orgs, pk_source), "_services": svc, "_service_categories": cats}


# -- problems -------------------------------------------------------------------------------------
def problems(std: StdInputs, municipalities: pd.DataFrame) -> list[Problem]:
    """Unmatched names and unclear rows: warnings (the rows are kept); unreadable values: errors."""
    out: list[Problem] = []
    match, lookup = MunicipalityMatcher(municipalities), gyomu_of(std.gyomu)
    for r in std.progress.to_dict("records"):
        if match(r["prefecture"], r["name"]) is None:
            out.append(Problem(r["_file"], r["_row"], "name", f"municipality {r['prefecture']}{r['name']} not in the gazetteer; kept without a code", "warning"))
        for column in ("overall_rate", *[c for c in r if c not in ("prefecture", "name", "overall_rate", "_row", "_file")]):
            if r[column] != "" and not _is_rate(r[column]):
                out.append(Problem(r["_file"], r["_row"], column, f"rate must be a number between 0 and 1: {r[column][:20]!r}"))
    for r in std.tokutei.to_dict("records"):
        if r["code"] not in match.codes and r["body_type"] != "都道府県":
            out.append(Problem(r["_file"], r["_row"], "code", f"{r['code']} {r['prefecture']}{r['name']} is not a municipality code of the gazetteer", "warning"))
        elif r["code"] in match.codes and match(r["prefecture"], r["name"]) != r["code"]:
            out.append(Problem(r["_file"], r["_row"], "name", f"name {r['prefecture']}{r['name']} does not match code {r['code']}", "warning"))
    unmapped = sorted({n for n in std.packages["business"] if place_key(n) not in lookup}
                      | {n for s in std.tokutei["businesses"] for n in split_list(s) if place_key(n) not in lookup})
    for name in unmapped:
        out.append(Problem("gyomu.csv", 0, "aliases", f"業務 name {name!r} is not one of the 20 業務 or 共通機能; kept with gyomu NULL", "warning"))
    for r in std.packages.to_dict("records"):
        out += _package_problems(r)
    return out


def _package_problems(r: dict) -> list[Problem]:
    add = lambda col, reason, sev="error": Problem(r["_file"], r["_row"], col, reason, sev)  # noqa: E731
    out = []
    numbers = split_list(r["corporate_numbers"])
    if not r["conformance_no"]:
        out.append(add("conformance_no", f"{r['vendor']} {r['package']} {r['business']}: listed without a conformance number; kept, not counted as conformant", "warning"))
    current, _ = _vendor_names(r["vendor"])
    if r["conformance_no"] and len(numbers) != len(current):
        out.append(add("corporate_numbers", f"{len(current)} vendor name(s) but {len(numbers)} 法人番号; row not linked to an organisation", "warning"))
    for cn in numbers:
        try:
            validators.corporate_number(cn)
        except validators.InvalidValue as exc:
            out.append(add("corporate_numbers", f"{exc.en}: {cn!r}"))
    if r["confirmed_date"] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["confirmed_date"]):
        out.append(add("confirmed_date", f"not a date: {r['confirmed_date'][:20]!r}"))
    return out


def _is_rate(text: str) -> bool:
    try:
        return 0.0 <= float(text) <= 1.0
    except ValueError:
        return False


def report(std: StdInputs, municipalities: pd.DataFrame, seed_vendors: pd.DataFrame) -> list[str]:
    """One-line facts for `python -m etl validate`: how many names matched, how vendors were matched."""
    match = MunicipalityMatcher(municipalities)
    matched = sum(match(r["prefecture"], r["name"]) is not None for r in std.progress.to_dict("records"))
    vendors = vendor_orgs(std.packages, seed_vendors)
    how = vendors["matched_by"].value_counts().to_dict()
    in_gaz = std.tokutei["code"].isin(match.codes).sum()
    return [f"standardisation: {matched} of {len(std.progress)} municipality names matched to a gazetteer code",
            f"standardisation: {in_gaz} of {len(std.tokutei)} 特定移行支援 bodies are gazetteer municipalities "
            f"({(std.tokutei['body_type'] == '都道府県').sum()} prefectures)",
            f"standardisation: {len(vendors)} package vendors: " + ", ".join(f"{k} {v}" for k, v in sorted(how.items()))
            + " (" + ", ".join(f"{r['name_ja']} → {r['org_id']}" for r in vendors[vendors['matched_by'] != 'new'].to_dict('records')) + ")"]
