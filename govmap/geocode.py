"""Offline geocoding against the committed gazetteer (data/gazetteer/*.parquet).

Organisations: postal code first, then municipality name within its prefecture (designated-city
wards such as 川崎市川崎区, cities given without their ward, fuller addresses by longest prefix),
then the prefecture alone.  Adopters: municipalities, the 47 prefectures (placed at the
municipality of their prefectural office) and national bodies (placed at 千代田区).
Each result records its precision; nothing here needs the network or the source packages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from govmap import settings
from govmap.normalize import boundary, place_key

NATIONAL_SEAT_CODE = "131016"  # 千代田区: where national bodies (省庁, デジタル庁) are placed.
_PARENS = re.compile(r"\([^)]*\)")
_NOW_CALLED = re.compile(r"\(現[・:]?([^)]+)\)")  # 鳩ヶ谷市(現・川口市): a merged municipality
_POSTAL_IN_TEXT = re.compile(r"〒\s*(\d{3})-?(\d{4})|^(\d{3})-(\d{4})\s")
_BODY_SUFFIX = re.compile(r"(議会|教育委員会|選挙管理委員会|市役所|町役場|村役場)$")  # 宇都宮市議会 → 宇都宮市


@dataclass(frozen=True)
class Location:
    code: str | None          # municipality code of the point (None when unlocated)
    pref_code: str | None
    lat: float | None
    lon: float | None
    precision: str | None     # postal_code | municipality | prefecture | national | None
    kind: str | None = None   # adopters only: municipality | prefecture | national | group


UNLOCATED = Location(None, None, None, None, None)


class Gazetteer:
    """Lookups over the municipality, prefecture and postal-code tables."""

    def __init__(self, municipalities: pd.DataFrame, prefectures: pd.DataFrame, postal: pd.DataFrame):
        # Plain dicts: pandas .loc per lookup cost ~0.2 ms, which dominated a 100,000-row build.
        self.municipalities = {r["code"]: r for r in municipalities.to_dict("records")}
        self.prefectures = {r["pref_code"]: r for r in prefectures.to_dict("records")}
        self._adopter_cache: dict[tuple[str, str], Location] = {}
        self._pref_by_key = {place_key(n): c for c, n in zip(prefectures.pref_code, prefectures.pref_name)}
        self._postal: dict[str, list[str]] = {}
        for postal_code, code in zip(postal["postal_code"].tolist(), postal["code"].tolist()):
            self._postal.setdefault(postal_code, []).append(code)
        self._by_pref = self._name_index(municipalities)

    @classmethod
    def load(cls, directory: Path | None = None) -> "Gazetteer":
        directory = Path(directory or settings.path("gazetteer_dir"))
        return cls(pd.read_parquet(directory / "municipalities.parquet"),
                   pd.read_parquet(directory / "prefectures.parquet"),
                   pd.read_parquet(directory / "postal_codes.parquet"))

    @staticmethod
    def _name_index(frame: pd.DataFrame) -> dict[str, list[tuple[str, str]]]:
        """Per prefecture: (name key, code), longest key first, with and without the 郡."""
        index: dict[str, list[tuple[str, str]]] = {}
        for row in frame.itertuples():
            keys = {place_key(row.name_ja)}
            if isinstance(row.county_ja, str) and row.county_ja:
                keys.add(place_key(row.county_ja + row.name_ja))
            index.setdefault(row.pref_code, []).extend((k, row.code) for k in keys)
        for entries in index.values():
            entries.sort(key=lambda e: -len(e[0]))
        return index

    # -- lookups ---------------------------------------------------------------------------
    def pref_code(self, name: object) -> str | None:
        return self._pref_by_key.get(place_key(name))

    def postal_lookup(self, postal_code: str) -> list[str]:
        """Municipality codes of a 7-digit postal code (several for a few codes)."""
        return list(self._postal.get(postal_code, []))

    def municipality(self, code: str) -> dict | None:
        row = self.municipalities.get(code)
        return dict(row) if row else None

    def find_municipality(self, pref_code: str | None, text: object) -> str | None:
        """Code of the municipality named at the start of ``text`` (after an optional prefecture)."""
        key = place_key(text)
        prefs = [pref_code] if pref_code else list(self._by_pref)
        for pc in prefs:
            pref_key = place_key(self.prefectures[pc]["pref_name"]) if pc in self.prefectures else ""
            rest = key[len(pref_key):] if pref_key and key.startswith(pref_key) else key
            for name_key, code in self._by_pref.get(pc, []):
                if rest == name_key or (rest.startswith(name_key) and pref_code):
                    return code
        return None

    def _point(self, code: str, precision: str, kind: str | None = None) -> Location:
        row = self.municipalities[code]
        return Location(code, row["pref_code"], float(row["lat"]), float(row["lon"]), precision, kind)

    def _pref_point(self, pref_code: str, kind: str | None = None) -> Location:
        office = self.prefectures[pref_code]["office_code"]
        loc = self._point(office, "prefecture", kind)
        return Location(loc.code, pref_code, loc.lat, loc.lon, "prefecture", kind)

    # -- geocoding -------------------------------------------------------------------------
    def locate_org(self, prefecture: object, municipality: object, postal_code: str | None = None) -> Location:
        """Head-office point: postal code, then municipality name, then prefecture."""
        if postal_code:
            codes = self.postal_lookup(postal_code)
            if len(codes) == 1:
                return self._point(codes[0], "postal_code")
        pref_code = self.pref_code(prefecture)
        if boundary(municipality):
            code = self.find_municipality(pref_code, municipality)
            if code:
                return self._point(code, "municipality")
        if pref_code:
            return self._pref_point(pref_code)
        return UNLOCATED

    def locate_address(self, address: object, postal_code: str | None = None) -> Location:
        """Head-office point from a free address as a page states it ('〒211-8588 神奈川県川崎市中原区
        上小田中4丁目1番1号', '福岡県福岡市博多区', '川崎市中原区 ...'): its postal code, else the
        municipality after the prefecture (or, without one, a municipality name found in exactly one
        prefecture), else the prefecture."""
        text = boundary(address)
        found = _POSTAL_IN_TEXT.search(text)
        if not postal_code and found:
            postal_code = "".join(g for g in found.groups() if g)
        text = _POSTAL_IN_TEXT.sub(" ", text).strip()
        if postal_code:
            codes = self.postal_lookup(postal_code)
            if len(codes) == 1:
                return self._point(codes[0], "postal_code")
        key = place_key(text)
        pref_code = next((pc for pc, row in self.prefectures.items() if key.startswith(place_key(row["pref_name"]))), None)
        if pref_code:
            code = self.find_municipality(pref_code, text)
            return self._point(code, "municipality") if code else self._pref_point(pref_code)
        codes = {c for pc in self._by_pref if (c := self.find_municipality(pc, text))}
        if len(codes) == 1:
            return self._point(codes.pop(), "municipality")
        return UNLOCATED

    def locate_adopter(self, name: object, prefecture: object) -> Location:
        """Adopter point: prefecture office, municipality, national seat, or group at its prefecture."""
        key = (str(name), str(prefecture))
        if key not in self._adopter_cache:
            self._adopter_cache[key] = self._locate_adopter(name, prefecture)
        return self._adopter_cache[key]

    def _locate_adopter(self, name: object, prefecture: object) -> Location:
        text = boundary(name)
        now = _NOW_CALLED.search(text)
        clean = now.group(1).strip() if now else _PARENS.sub("", text).strip()
        clean = _BODY_SUFFIX.sub("", clean) or clean
        pref_code = self.pref_code(prefecture)
        own_pref = self.pref_code(clean)
        if own_pref:
            return self._pref_point(own_pref, "prefecture")
        if pref_code:
            code = self.find_municipality(pref_code, clean)
            row = self.municipalities.get(code) if code else None
            county = row["county_ja"] if row and isinstance(row["county_ja"], str) else ""
            if row and place_key(clean) in {place_key(row["name_ja"]), place_key(county + row["name_ja"])}:
                return self._point(code, "municipality", "municipality")
            return self._pref_point(pref_code, "group")
        return self._point(NATIONAL_SEAT_CODE, "national", "national")
