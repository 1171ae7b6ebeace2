"""Place names for the UI: regions, prefectures and municipalities in the page's language (romaji
from the gazetteer's kana in English), and a municipality finder that accepts kanji, kana and
romaji in any common spelling (Kitakyushu, kitakyuushuu, Kita-Kyushu, Kitakyūshū, kitakyusyu).

Codes stay what the catalog stores (JIS municipality code, prefecture name in kanji, region in
Japanese); only labels change with the language.  No Streamlit here.
"""

from __future__ import annotations

import re
import unicodedata

import jaconv
import pandas as pd

from govmap.normalize import fold, place_key

# Suffix of a municipality name: kanji, its kana readings, the romaji shown.
_SUFFIXES = {"市": {"シ": "shi"}, "区": {"ク": "ku"}, "町": {"マチ": "machi", "チョウ": "cho"},
             "村": {"ムラ": "mura", "ソン": "son"}}


def hepburn(kana: str) -> str:
    """Simplified Hepburn of a katakana or hiragana reading, as place names are usually written in
    English: long vowels folded (キュウシュウ → kyushu, オオサカ → osaka, トウキョウ → tokyo)."""
    text = jaconv.kana2alphabet(jaconv.kata2hira(kana or "")).replace("ー", "")
    text = re.sub(r"[^a-z]", "", text.lower())
    return re.sub(r"ou|oo", "o", re.sub(r"uu", "u", text))


def romaji_key(text: object) -> str:
    """Comparison key of typed romaji: lower case, letters only, Kunrei/Nihon-shiki and wapuro
    spellings mapped to simplified Hepburn, long vowels and macrons folded, m before b/p as n."""
    text = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z]", "", text)
    for pattern, repl in ((r"sy", "sh"), (r"ty", "ch"), (r"zy|jy", "j"), (r"si", "shi"), (r"ti", "chi"),
                          (r"tu", "tsu"), (r"(?<![sc])hu", "fu"), (r"zi|di", "ji"), (r"m(?=[bp])", "n")):
        text = re.sub(pattern, repl, text)
    text = re.sub(r"shh", "sh", text)  # "shi" typed by a Hepburn user is not changed by "si" → "shi"
    text = re.sub(r"([aeiou])\1+", r"\1", text)
    return re.sub(r"ou", "o", text)


def _split_suffix(name_ja: str, kana: str) -> tuple[str, str]:
    """(kana without the suffix, suffix romaji) for 市/区/町/村 names."""
    readings = _SUFFIXES.get(name_ja[-1:] if name_ja else "", {})
    for reading, romaji in readings.items():
        if kana.endswith(reading) and len(kana) > len(reading):
            return kana[: -len(reading)], romaji
    return kana, ""


class Places:
    """Labels and lookup for the places of one catalog build."""

    def __init__(self, prefectures: pd.DataFrame, municipalities: pd.DataFrame):
        self.pref_en = {r["pref_name"]: r["pref_name_en"] for r in prefectures.to_dict("records")
                        if isinstance(r.get("pref_name_en"), str)}
        self.region_en = {r["region"]: r["region_en"] for r in prefectures.to_dict("records")
                          if isinstance(r.get("region_en"), str)}
        rows = municipalities.to_dict("records")
        by_code = {r["code"]: r for r in rows}
        self.muni_en: dict[str, str] = {}
        for r in rows:  # cities first, so that a ward can start with its city's romaji
            if r.get("kind") != "ward":
                self.muni_en[r["code"]] = self._romaji(r)
        for r in rows:
            if r.get("kind") == "ward":
                parent = by_code.get(r.get("parent_code"))
                if parent is not None and str(r["name_ja"]).startswith(parent["name_ja"]):
                    ward = {**r, "name_ja": r["name_ja"][len(parent["name_ja"]):],
                            "name_kana": str(r.get("name_kana") or "")[len(str(parent.get("name_kana") or "")):]}
                    self.muni_en[r["code"]] = f"{self.muni_en[parent['code']]} {self._romaji(ward)}"
                else:
                    self.muni_en[r["code"]] = self._romaji(r)
        self.muni_ja = {r["code"]: str(r["name_ja"]) for r in rows}
        self.muni_pref = {r["code"]: str(r["pref_name"]) for r in rows}
        self.muni_by_name = {(str(r["pref_name"]), str(r["name_ja"])): r["code"] for r in rows}
        self._keys = {r["code"]: (place_key(f"{r['pref_name']}{r['name_ja']}"), fold(r.get("name_kana") or ""),
                                  romaji_key(self.muni_en[r["code"]]), romaji_key(r.get("name_romaji") or ""))
                      for r in rows}

    @staticmethod
    def _romaji(row: dict) -> str:
        name, kana = str(row.get("name_ja") or ""), str(row.get("name_kana") or "")
        if not kana:
            romaji = str(row.get("name_romaji") or "")
            return romaji.title() if romaji else name
        base, suffix = _split_suffix(name, kana)
        text = hepburn(base).capitalize()
        return f"{text}-{suffix}" if suffix else text

    # -- labels -------------------------------------------------------------------------------
    def region(self, region: str, lang: str) -> str:
        return self.region_en.get(region, region) if lang == "en" else region

    def prefecture(self, pref_name: str, lang: str) -> str:
        return self.pref_en.get(pref_name, pref_name) if lang == "en" else pref_name

    def area(self, name: str, lang: str) -> str:
        """A prefecture or region name (as the catalog stores it) in ``lang``."""
        if lang != "en" or not isinstance(name, str):
            return name
        return self.pref_en.get(name) or self.region_en.get(name) or name

    def municipality(self, code: str | None, lang: str, name_ja: str | None = None) -> str:
        """A municipality's name; ``name_ja`` is shown when the code is unknown to the gazetteer."""
        if lang == "en" and code in self.muni_en:
            return self.muni_en[code]
        return self.muni_ja.get(code, name_ja or "") if code else (name_ja or "")

    def municipality_label(self, code: str, lang: str) -> str:
        """For pickers: the name with its prefecture; in Japanese also the romaji, so a picker can be
        filtered by typing either."""
        if code not in self.muni_ja:
            return code
        pref = self.muni_pref[code]
        if lang == "en":
            return f"{self.muni_en[code]}, {self.pref_en.get(pref, pref)}"
        return f"{pref} {self.muni_ja[code]} ({self.muni_en[code]})"

    def hq_label(self, pref_name, muni_name, muni_code, lang: str) -> str:
        """Head office as "prefecture + municipality" in Japanese, "Municipality, Prefecture" in English;
        "" when unknown (callers say so in their language)."""
        pref = pref_name if isinstance(pref_name, str) else ""
        muni = muni_name if isinstance(muni_name, str) else ""
        code = muni_code if isinstance(muni_code, str) else self.muni_by_name.get((pref, muni))
        if lang != "en":
            return pref + muni
        parts = [self.municipality(code, "en", muni) if muni else "", self.pref_en.get(pref, pref)]
        return ", ".join(p for p in parts if p)

    def adopter(self, name: str, code, lang: str) -> str:
        """An adopting body's name: the gazetteer's romaji in English when it is a municipality."""
        if lang == "en" and isinstance(code, str) and code in self.muni_en and self.muni_ja.get(code) in str(name):
            return self.muni_en[code]
        if lang == "en" and isinstance(code, str) and len(code) == 2:
            pref = next((p for p in self.pref_en if str(name).startswith(p)), None)
            if pref:
                return self.pref_en[pref]
        return name

    def url_aliases(self) -> dict[str, dict[str, str]]:
        """English names accepted in links for the region and prefecture filters (lower case)."""
        return {"region": {v.lower(): k for k, v in self.region_en.items()},
                "pref": {v.lower(): k for k, v in self.pref_en.items()}}

    # -- lookup -------------------------------------------------------------------------------
    def find(self, text: str, codes=None, limit: int | None = None) -> list[str]:
        """Municipality codes whose name matches ``text`` (kanji, kana or romaji, part of the name),
        in the order of ``codes`` (all when None); an empty text matches everything."""
        codes = list(self.muni_ja) if codes is None else list(codes)
        kanji, kana, roman = place_key(text), fold(text).replace(" ", ""), romaji_key(text)
        if not (kanji or roman):
            return codes[:limit] if limit else codes
        out = []
        for code in codes:
            keys = self._keys.get(code)
            if keys is None:
                continue
            by_name = kanji and (kanji in keys[0] or (kana and kana in keys[1]))
            if by_name or (len(roman) >= 2 and (roman in keys[2] or roman in keys[3])):
                out.append(code)
                if limit and len(out) >= limit:
                    break
        return out
