"""One search box over names, offerings, categories, descriptions and places.

Order of work, cheapest first (FIELD-NOTES "Search in Japanese"):
1. normalise the query once (NFKC, case/width/kana folding, legal forms removed for names);
2. exact / prefix / substring matches on normalised keys, found with ``str.find`` over one joined
   haystack per field (C speed, no per-row Python loop);
3. categories from labels (ja/en) and the synonym list (data/taxonomy/synonyms.csv);
4. place names (prefecture, municipality) of the head office;
5. rapidfuzz typo tolerance on names (``process.extract`` over a plain list).
The whole query is tried as one phrase first; if nothing matches, its words must all match
(AND), and failing that any word (OR).  Every hit carries the reasons it matched.

Scale (docs/benchmarks.md): the per-organisation keys are computed once by the ETL
(``index_keys``, table ``org_search_keys``) so the app does not normalise 100,000 names at start-up;
matching works on whole numpy arrays (no Python loop per matching row); the fuzzy pass only
looks at name keys whose length can reach the cutoff; and the reasons of a row are put together
only when that row is shown (``Matches.reasons``).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from govmap import settings
from govmap.normalize import (NAME_TOKEN, acronyms, boundary, fold, has_kanji, is_short_token, name_key, name_tokens,
                              romaji_fold, romaji_key, strip_legal_form, text_key)

TAXONOMY = settings.ROOT / "data" / "taxonomy"
SYNONYMS = TAXONOMY / "synonyms.csv"
READINGS = TAXONOMY / "readings.csv"
GENERIC_WORDS = TAXONOMY / "generic_words.csv"
SEP = "\x00"
KEYS_VERSION = "5"  # bump when the key functions below change: stored keys are then recomputed
# A text key is the folded text, then TOKENS and the whole short acronyms of the organisation,
# each between markers: NAME_MARK ... END for the short words of its names, TEXT_TOKEN ... END for those of
# its offerings, description and products.  Keys are word characters only, so a longer key never
# matches inside the token part, and a short one is only looked up between markers.
TOKENS, NAME_MARK, TEXT_TOKEN, END = "\x01", "\x02", "\x04", "\x03"
# Romaji of the head office (gazetteer): PREF_MARK key END, MUNI_MARK key END (romaji_fold, with and
# without the 市/区/町/村 suffix), so "Kitakyushu" or "osaka" finds the vendors headquartered there.
PREF_MARK, MUNI_MARK = "\x05", "\x06"
_ROMAJI_SUFFIXES = ("shi", "ku", "machi", "cho", "mura", "son")
# What the ETL reads to store the keys: v_organisations plus the names of its products (service
# names and the service names of its adoptions, each distinct name once: the same name repeated by
# many adoptions would only lengthen the text every search scans; adoptions rank on their own).
KEYS_SOURCE_SQL = """
WITH products AS (
    SELECT org_id, list(DISTINCT name ORDER BY name) AS product_names FROM (
        SELECT org_id, name_ja AS name FROM services WHERE name_ja IS NOT NULL
        UNION ALL SELECT org_id, name_en FROM services WHERE name_en IS NOT NULL
        UNION ALL SELECT org_id, service_name FROM adoptions WHERE service_name IS NOT NULL)
    GROUP BY org_id)
SELECT o.org_id, o.name_ja, o.name_en, o.name_kana, o.other_names, o.offerings_ja, o.offerings_en, o.description,
       coalesce(p.product_names, []::VARCHAR[]) AS product_names,
       pf.pref_name_en AS hq_pref_romaji, m.name_romaji AS hq_municipality_romaji, pm.name_romaji AS hq_city_romaji
FROM v_organisations o LEFT JOIN products p USING (org_id)
LEFT JOIN prefectures pf ON pf.pref_code = o.hq_pref_code
LEFT JOIN municipalities m ON m.code = o.hq_municipality_code
LEFT JOIN municipalities pm ON pm.code = m.parent_code
ORDER BY o.org_id"""
NAME_KINDS = ("name_exact", "name_prefix", "name_contains", "name_fuzzy")
SCORES = {"name_exact": 100.0, "name_prefix": 92.0, "name_contains": 85.0, "category": 70.0,
          "place": 62.0, "text": 60.0}  # a head office in the place named outranks a mention of it
FUZZY_WEIGHT = 0.8


class Haystack:
    """Many short strings joined into one, searchable for substrings at C speed."""

    def __init__(self, texts: list[str]):
        self.text = SEP + SEP.join(texts) + SEP
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        self.starts = np.concatenate(([1], 1 + np.cumsum(lengths)[:-1])) if len(texts) else np.array([], dtype=np.int64)

    def starting(self, needle: str) -> np.ndarray:
        """Distinct rows of which one of the SEP-joined parts starts with ``needle``."""
        found = [m.start() + 1 for m in re.finditer(re.escape(SEP + needle), self.text)]
        if not found:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.searchsorted(self.starts, np.asarray(found, dtype=np.int64), side="right") - 1)

    def find(self, needle: str) -> tuple[np.ndarray, np.ndarray]:
        """(row positions, is-prefix flags) of rows containing ``needle``."""
        positions, text, pos = [], self.text, 0
        while True:
            pos = text.find(needle, pos)
            if pos < 0:
                break
            positions.append(pos)
            pos += 1
        if not positions:
            return np.array([], dtype=np.int64), np.array([], dtype=bool)
        found = np.asarray(positions, dtype=np.int64)
        rows = np.searchsorted(self.starts, found, side="right") - 1
        return rows, self.starts[rows] == found


def load_synonyms(path: Path = SYNONYMS) -> dict[str, str]:
    with path.open(encoding="utf-8") as handle:
        return {fold(r["term"]): r["category"] for r in csv.DictReader(handle) if text_key(r["term"])}


def load_readings(path: Path = READINGS) -> list[tuple[str, str, str]]:
    """(term, reading, kind) rows: katakana spellings of Latin-script names (kind product or
    company), kana readings of words (kind word)."""
    with path.open(encoding="utf-8") as handle:
        return [(r["term"], r["reading"], r["kind"]) for r in csv.DictReader(handle)
                if text_key(r["term"]) and text_key(r["reading"])]


def load_generic_words(path: Path = GENERIC_WORDS) -> set[str]:
    """Name keys of words that on their own never make a name match (アプリ, システム, Japan ...)."""
    with path.open(encoding="utf-8") as handle:
        return {k for r in csv.DictReader(handle) for k in (name_key(r["term"]), romaji_key(r["term"])) if k}


def org_name_keys(name_ja, name_en, name_kana) -> list[str]:
    """Name keys of one organisation: ja, en and romaji, plus the kana reading's, deduplicated."""
    keys = [name_key(name_ja), name_key(name_en)]
    if not has_kanji(strip_legal_form(name_ja)):  # the romaji of a name with kanji would be that of its kana alone
        keys.append(romaji_key(name_ja))
    if isinstance(name_kana, str):
        keys += [name_key(name_kana), romaji_key(name_kana)]
    return list(dict.fromkeys(k for k in keys if k))


def _listed(value) -> list:
    """A list cell as a list: None and NaN are empty, a lone string is one item."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        return list(value)
    except TypeError:  # NaN
        return []


def place_romaji_keys(romaji: object, parent: object = None) -> list[str]:
    """Folded romaji keys of a municipality (gazetteer romaji, e.g. kitakyuushuushikokurakitaku with
    parent kitakyuushuushi): whole and without its suffix, its parent city likewise, and a ward's own
    name."""
    out = []
    whole, city = (romaji_fold(v) if isinstance(v, str) else "" for v in (romaji, parent))
    for key in (whole, city, whole[len(city):] if city and whole.startswith(city) else ""):
        if len(key) >= 3:
            out.append(key)
            for suffix in _ROMAJI_SUFFIXES:
                if key.endswith(suffix) and len(key) - len(suffix) >= 3:
                    out.append(key[:-len(suffix)])
                    break
    return list(dict.fromkeys(out))


def org_text_key(offerings_ja, offerings_en, description, product_names=(), names=(), places=((), ())) -> str:
    """Key of the free text of one organisation (offerings, description, product names), followed by
    the short acronyms of its ``names`` and of that text as whole tokens (see TOKENS)."""
    parts = [str(p) for p in [*_listed(offerings_ja), *_listed(offerings_en), description or "", *_listed(product_names)]
             if isinstance(p, str)]
    in_names = dict.fromkeys(t for n in names if isinstance(n, str) for t in name_tokens(n))
    text_tokens = [t for t in acronyms(" ".join(parts)) if len(t) == 2]  # prose: "A" is an article
    prefs, munis = places
    return (text_key(" ".join(parts)) + TOKENS + "".join(NAME_MARK + t + END for t in in_names)
            + "".join(TEXT_TOKEN + t + END for t in text_tokens)
            + "".join(PREF_MARK + k + END for k in prefs) + "".join(MUNI_MARK + k + END for k in munis))


def index_keys(orgs: pd.DataFrame) -> pd.DataFrame:
    """org_id, name_keys, text_key for every row of ``v_organisations`` (the ETL stores these)."""
    kana = orgs["name_kana"].tolist() if "name_kana" in orgs.columns else [None] * len(orgs)
    names = [org_name_keys(ja, en, ka) for ja, en, ka in zip(orgs["name_ja"].tolist(), orgs["name_en"].tolist(), kana)]
    if "other_names" in orgs.columns:  # former, trade and earlier-used names (etl/facts.py)
        names = [list(dict.fromkeys([*keys, *(k for n in (others if others is not None else ()) for k in org_name_keys(n, None, None))]))
                 for keys, others in zip(names, orgs["other_names"].tolist())]
    def column(name, empty):
        return orgs[name].tolist() if name in orgs.columns else [empty] * len(orgs)
    places = [([romaji_fold(p)] if isinstance(p, str) and len(romaji_fold(p)) >= 3 else [], place_romaji_keys(m, c))
              for p, m, c in zip(column("hq_pref_romaji", None), column("hq_municipality_romaji", None),
                                 column("hq_city_romaji", None))]
    texts = [org_text_key(oj, oe, d, pn, (ja, en), pl) for oj, oe, d, pn, ja, en, pl in
             zip(orgs["offerings_ja"].tolist(), orgs["offerings_en"].tolist(), orgs["description"].tolist(),
                 column("product_names", ()), orgs["name_ja"].tolist(), orgs["name_en"].tolist(), places)]
    return pd.DataFrame({"org_id": orgs["org_id"].tolist(), "name_keys": names, "text_key": texts})


def _nan_free(value) -> object:
    return value if isinstance(value, str) else None


def _occurrence(rows: np.ndarray) -> np.ndarray:
    """For sorted ``rows``: 0 for a row's first occurrence, 1 for its second, ..."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    index = np.arange(len(rows))
    first = np.concatenate(([True], rows[1:] != rows[:-1]))
    return index - np.maximum.accumulate(np.where(first, index, 0))


class Matches:
    """The rows one phrase matched, with their scores, built from whole-array steps.

    Each step adds one score to a set of distinct rows: ``score = max(score, s) + 0.01 * reasons
    so far``, and records its reason if the row did not have it yet: the same arithmetic, step by
    step, as adding the reasons to each row one at a time.  Reasons are kept per step (the rows
    for which it was new), so a row's list is only assembled when it is shown."""

    def __init__(self, n: int, names: list[str]):
        self.score = np.zeros(n)
        self.relevance = np.zeros(n)  # how much the organisation's own text is about the query (ties of score)
        self.nreasons = np.zeros(n, dtype=np.int32)
        self.hit = np.zeros(n, dtype=bool)
        self.names = names
        self._has: dict[object, np.ndarray] = {}
        self.steps: list[tuple[str, str | None, np.ndarray]] = []

    def add(self, rows: np.ndarray, score, kind: str, detail: str | None = None) -> None:
        """One step over distinct ``rows``; ``detail`` None means the row's own name (name kinds)."""
        if not len(rows):
            return
        self.score[rows] = np.maximum(self.score[rows], score) + 0.01 * self.nreasons[rows]
        has = self._has.setdefault(kind if detail is None else (kind, detail), np.zeros(len(self.hit), dtype=bool))
        new = rows[~has[rows]]
        has[new] = True
        self.nreasons[new] += 1
        self.hit[rows] = True
        self.steps.append((kind, detail, new))

    def add_repeated(self, rows: np.ndarray, score, kind: str, detail: str | None = None) -> None:
        """Like ``add`` for rows that may repeat: the n-th repeat of a row is the n-th step."""
        order = np.argsort(rows, kind="stable")
        rows = rows[order]
        scores = score[order] if isinstance(score, np.ndarray) else score
        occurrence = _occurrence(rows)
        for k in range(int(occurrence.max()) + 1 if len(rows) else 0):
            sel = occurrence == k
            self.add(rows[sel], scores[sel] if isinstance(scores, np.ndarray) else scores, kind, detail)

    def __len__(self) -> int:
        return int(self.hit.sum())

    def rows(self) -> np.ndarray:
        return np.flatnonzero(self.hit)

    def reasons(self, rows) -> list[list[tuple[str, str]]]:
        """Reasons of each of ``rows`` in the order they were found."""
        rows = np.asarray(rows, dtype=np.int64)
        out: list[list[tuple[str, str]]] = [[] for _ in range(len(rows))]
        if not len(rows):
            return out
        where = np.full(len(self.hit), -1, dtype=np.int64)
        where[rows] = np.arange(len(rows))
        for kind, detail, new in self.steps:
            found = where[new]
            for row, at in zip(new[found >= 0].tolist(), found[found >= 0].tolist()):
                out[at].append((kind, self.names[row] if detail is None else detail))
        return out


class Combined:
    """Per-word matches combined (all words: AND, or any word: OR), scores summed in word order."""

    def __init__(self, per_word: list[Matches], all_words: bool):
        self.per_word = per_word
        hit = per_word[0].hit.copy()
        for m in per_word[1:]:
            hit = hit & m.hit if all_words else hit | m.hit
        self.hit = hit
        score, relevance = np.zeros(len(hit)), np.zeros(len(hit))
        for m in per_word:
            score = score + np.where(m.hit, m.score, 0.0)
            relevance = relevance + np.where(m.hit, m.relevance, 0.0)
        self.score, self.relevance = score, relevance

    def __len__(self) -> int:
        return int(self.hit.sum())

    def rows(self) -> np.ndarray:
        return np.flatnonzero(self.hit)

    def reasons(self, rows) -> list[list[tuple[str, str]]]:
        rows = np.asarray(rows, dtype=np.int64)
        out: list[list[tuple[str, str]]] = [[] for _ in range(len(rows))]
        for m in self.per_word:
            inside = m.hit[rows]
            for at, reasons in zip(np.flatnonzero(inside).tolist(), m.reasons(rows[inside])):
                out[at].extend(r for r in reasons if r not in out[at])
        return out


class FuzzyFilter:
    """Which name keys could reach a rapidfuzz ``ratio`` cutoff, without scoring them all.

    ``ratio`` is 200·LCS / (a + b) for lengths a and b, and the longest common subsequence is at
    most the characters the two strings share (counted with repeats).  Per character we keep the
    keys holding it (an inverted list), so a query adds up its shared characters with every key in
    a few ``bincount`` calls and only keys that pass both bounds are scored.  Exact: a key that
    fails a bound cannot reach the cutoff."""

    def __init__(self, choices: list[str]):
        self.n = len(choices)
        self.lengths = np.fromiter((len(c) for c in choices), dtype=np.int64, count=self.n)
        text = "".join(choices)
        chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        owner = np.repeat(np.arange(self.n, dtype=np.int64), self.lengths)
        pairs, counts = np.unique(chars * (self.n + 1) + owner, return_counts=True)  # sorted by char, then key
        self.char_of = pairs // (self.n + 1)
        self.key_of = (pairs % (self.n + 1)).astype(np.int32)
        self.count_of = counts.astype(np.int32)
        self.chars, self.starts = np.unique(self.char_of, return_index=True)
        self.ends = np.append(self.starts[1:], len(self.char_of))

    def candidates(self, key: str, cutoff: float) -> np.ndarray:
        """Positions (ascending) of the keys whose ratio with ``key`` may be ≥ ``cutoff``."""
        if not self.n:
            return np.zeros(0, dtype=np.int64)
        shared = np.zeros(self.n, dtype=np.float64)
        for char, wanted in Counter(key).items():
            at = np.searchsorted(self.chars, ord(char))
            if at < len(self.chars) and self.chars[at] == ord(char):
                lo, hi = self.starts[at], self.ends[at]
                shared += np.bincount(self.key_of[lo:hi], weights=np.minimum(self.count_of[lo:hi], wanted),
                                      minlength=self.n)
        need = (cutoff - 1e-6) * (len(key) + self.lengths) / 200.0  # the slack only ever admits more
        shorter = np.minimum(len(key), self.lengths)
        return np.flatnonzero((shared >= need) & (shorter >= need))


class SearchIndex:
    """Built once per catalog build from ``v_organisations`` (plus the taxonomy and places).

    ``keys`` (org_id, name_keys, text_key), as stored by the ETL in ``org_search_keys``, saves
    normalising every name again; without it the keys are computed here."""

    def __init__(self, orgs: pd.DataFrame, categories: pd.DataFrame, synonyms: dict[str, str] | None = None,
                 keys: pd.DataFrame | None = None):
        self.orgs = orgs.reset_index(drop=True)
        self.n = len(self.orgs)
        if keys is None or len(keys) != self.n or not keys["org_id"].reset_index(drop=True).equals(self.orgs["org_id"]):
            keys = index_keys(self.orgs)
        self.name_keys = [list(k) for k in keys["name_keys"].tolist()]
        self.names_ja = self.orgs["name_ja"].tolist()
        self.hq_pref, self.hq_muni = (np.array([v if isinstance(v, str) else "" for v in self.orgs[c].tolist()]
                                               if c in self.orgs.columns else [""] * self.n, dtype=object)
                                      for c in ("hq_pref_name", "hq_municipality_name"))
        self.names = Haystack([SEP.join(k) for k in self.name_keys])
        # The text part and the token part apart: a key of free text never matches a stored token
        # (the romaji of a head office, a word of a name) and the token lookups scan less.
        parts = [key.partition(TOKENS) for key in keys["text_key"].tolist()]
        self.texts = Haystack([p[0] for p in parts])
        self.tokens = Haystack([p[2] for p in parts])
        self.place_romaji = self._place_romaji_index([p[2] for p in parts])
        choices = [k for ks in self.name_keys for k in ks]
        owner = np.fromiter((i for i, ks in enumerate(self.name_keys) for _ in ks), dtype=np.int64, count=len(choices))
        exact: dict[str, list[int]] = {}
        for key, row in zip(choices, owner.tolist()):
            exact.setdefault(key, []).append(row)
        self.exact = {k: np.asarray(v, dtype=np.int64) for k, v in exact.items()}
        self.name_choices = choices
        self.name_owner = owner
        self.fuzzy = FuzzyFilter(choices)
        self.category_rows = self._category_rows()
        self.category_terms = self._category_terms(categories, synonyms if synonyms is not None else load_synonyms())
        self.category_keys = {text_key(term) for term in self.category_terms}
        # (term, code, key, "term at the start of a word") once, not per query
        self.category_list = [(term, code, text_key(term), re.compile(r"(?<![a-z0-9])" + re.escape(term)))
                              for term, code in self.category_terms.items()]
        self.generic = load_generic_words()
        self.readings_kana: dict[str, tuple[str, str]] = {}
        self.readings_romaji: dict[str, tuple[str, str]] = {}
        for term, reading, kind in load_readings():
            self.readings_kana.setdefault(text_key(reading), (term, kind))
            romaji = romaji_fold(romaji_key(reading))
            if kind == "word" and len(romaji) >= 4 and not has_kanji(reading):
                self.readings_romaji.setdefault(romaji, (term, kind))
        self.places = self._place_index()
        n_adoptions = self.orgs["n_adoptions"].fillna(0).to_numpy(dtype=np.int64)
        self.neg_adoptions = -n_adoptions
        self.name_rank = np.empty(self.n, dtype=np.int64)
        self.name_rank[np.argsort(np.asarray(self.names_ja, dtype=object), kind="stable")] = np.arange(self.n)
        # Rows in the order of an empty query: most adoptions first, then name.
        self.default_order = np.lexsort((self.name_rank, self.neg_adoptions))

    def _category_rows(self) -> dict[str, np.ndarray]:
        rows: dict[str, list[int]] = {}
        for i, cats in enumerate(self.orgs["categories"].tolist()):
            for code in cats:
                rows.setdefault(code, []).append(i)
        return {code: np.asarray(v, dtype=np.int64) for code, v in rows.items()}

    @staticmethod
    def _category_terms(categories: pd.DataFrame, synonyms: dict[str, str]) -> dict[str, str]:
        """Folded term → category code: synonyms, labels (ja/en) and the codes themselves."""
        terms = dict(synonyms)
        for row in categories.itertuples():
            for label in (row.label_ja, row.label_en, row.code.replace("_", " ")):
                terms.setdefault(fold(label), row.code)
        return terms

    def _place_romaji_index(self, tokens: list[str]) -> dict[tuple[str, str], np.ndarray]:
        """(mark, romaji key) → rows, read from the stored token parts.  The place keys of a row
        depend only on its head office, so one row per distinct (prefecture, municipality) is read."""
        office = pd.Series(self.hq_pref, dtype=object) + "\x00" + pd.Series(self.hq_muni, dtype=object)
        codes, uniques = pd.factorize(office)
        firsts = np.full(len(uniques), -1, dtype=np.int64)
        firsts[codes[::-1]] = np.arange(self.n)[::-1]  # first row of each office
        pattern = re.compile("([" + PREF_MARK + MUNI_MARK + "])([a-z0-9]+)" + END)
        groups: dict[tuple[str, str], list[int]] = {}
        for office_code, row in enumerate(firsts.tolist()):
            for mark, key in pattern.findall(tokens[row]):
                groups.setdefault((mark, key), []).append(office_code)
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
        return {k: np.sort(np.concatenate([order[bounds[c]:bounds[c + 1]] for c in v])) for k, v in groups.items()}

    def _place_index(self) -> dict[str, tuple[str, np.ndarray]]:
        """Place key → (display name, org rows) for head-office prefectures and municipalities.
        Rows keep their order of discovery (prefectures, then municipalities) and may repeat."""
        index: dict[str, tuple[str, list[np.ndarray]]] = {}
        for column in ("hq_pref_name", "hq_municipality_name"):
            values = pd.Series([v if isinstance(v, str) and v else None for v in self.orgs[column].tolist()], dtype=object)
            codes, uniques = pd.factorize(values, use_na_sentinel=True)
            order = np.argsort(codes, kind="stable")
            bounds = np.searchsorted(codes[order], np.arange(len(uniques) + 1))
            firsts = {}
            for u, name in enumerate(uniques):
                rows = order[bounds[u]:bounds[u + 1]]
                firsts[u] = rows[0] if len(rows) else 0
            # Visit names in the order their first row appears, as a row-by-row scan would.
            for u in sorted(range(len(uniques)), key=lambda u: firsts[u]):
                name = uniques[u]
                rows = order[bounds[u]:bounds[u + 1]]
                city = name[:name.index("市") + 1] if "市" in name[:-1] and name.endswith("区") else ""
                ward = name[len(city):] if city else ""
                keys = {text_key(name), text_key(city), text_key(ward)}
                # Without the suffix too (北九州 finds 北九州市 and its wards, 福岡 finds 福岡県), never
                # down to one character, and 北海道 stays whole.
                keys |= {text_key(p[:-1]) for p in (name, city, ward) if len(p) > 2 and p[-1] in "都府県市区町村"}
                for key in keys - {""}:
                    index.setdefault(key, (name, []))[1].append(rows)
        return {k: (name, np.concatenate(parts)) for k, (name, parts) in index.items()}

    # -- matching -------------------------------------------------------------------------
    def match(self, phrase: str) -> Matches:
        """Rows matching one phrase, with scores and reasons."""
        hits = Matches(self.n, self.names_ja)
        for variant, kind in self.variants(phrase):
            self._match_names(variant, hits, fuzzy=kind == "query")  # a curated spelling needs no typo pass
            if kind == "company":  # エヌイーシー is the company NEC, not the letters n-e-c in a text
                continue
            self._match_categories(variant, hits)
            self._match_places(variant, hits)
            self._match_text(variant, hits)
        return hits

    def variants(self, phrase: str) -> list[tuple[str, str]]:
        """(text, kind): the phrase as typed (kind "query"), and what it spells in another script
        (data/taxonomy/readings.csv): キントーン → kintone, ぼうさい / bousai / bōsai → 防災,
        denshi shinsei → 電子申請."""
        out = [(phrase, "query")]
        key = text_key(phrase)
        found = self.readings_kana.get(key)
        if found is None and key.isascii():
            found = self.readings_romaji.get(romaji_fold(key))
        if found is not None and text_key(found[0]) != key:
            out.append(found)
        return out

    def _match_names(self, phrase: str, hits: Matches, fuzzy: bool = True) -> None:
        # The romaji key of a phrase with kanji would be the romaji of its kana alone (子育て → "te"):
        # only kana and Latin phrases get one.
        keys = (name_key(phrase),) if has_kanji(strip_legal_form(phrase)) else (name_key(phrase), romaji_key(phrase))
        for key in dict.fromkeys(k for k in keys if k):
            if is_short_token(key):  # "AI", "IT": a whole word of a name, never inside one
                self._match_name_token(key, hits)
                continue
            if is_short_token(key, NAME_TOKEN):  # "NEC", "jig": a whole word, or the start of a name
                self._match_name_token(key, hits)
                starts = self.names.starting(key)  # one of its name keys starts with it
                hits.add(starts[~np.isin(starts, self.exact.get(key, np.zeros(0, dtype=np.int64)))],
                         SCORES["name_prefix"], "name_prefix")
                if fuzzy:
                    self._match_fuzzy(key, hits)
                continue
            rows, prefix = self.names.find(key)
            exact = np.isin(rows, self.exact.get(key, np.zeros(0, dtype=np.int64)))
            kinds = np.where(exact, 0, np.where(prefix, 1, 2))
            if len(key) < 2 or key in self.generic or key in self.category_keys:
                # A generic word (アプリ, システム) or a category term (クラウド) inside a name says
                # nothing about the organisation: only a name that is (or starts with) it counts.
                keep = kinds == 0 if key in self.generic else kinds != 2
                rows, kinds = rows[keep], kinds[keep]
            occurrence = _occurrence(rows)  # rows come sorted (positions are)
            for k in range(int(occurrence.max()) + 1 if len(rows) else 0):
                for code, kind in enumerate(NAME_KINDS[:3]):
                    sel = (occurrence == k) & (kinds == code)
                    hits.add(rows[sel], SCORES[kind], kind)
            if fuzzy and len(key) >= 2 and key not in self.generic:
                self._match_fuzzy(key, hits)

    def _match_name_token(self, key: str, hits: Matches) -> None:
        rows = np.unique(self.tokens.find(NAME_MARK + key + END)[0])
        exact = np.isin(rows, self.exact.get(key, np.zeros(0, dtype=np.int64)))
        named, starts = self.names.find(key)
        prefix = np.isin(rows, named[starts]) & ~exact
        for kind, sel in (("name_exact", exact), ("name_prefix", prefix), ("name_contains", ~exact & ~prefix)):
            hits.add(rows[sel], SCORES[kind], kind)

    def _match_fuzzy(self, key: str, hits: Matches) -> None:
        cutoff = float(settings.get("fuzzy_score_cutoff"))
        candidates = self.fuzzy.candidates(key, cutoff)
        # Only names that can reach the cutoff are scored, in their original order, so the 30
        # best (ties by position) are exactly those of extract(limit=30) over every name.
        found = process.extract(key, [self.name_choices[i] for i in candidates.tolist()], scorer=fuzz.ratio,
                                score_cutoff=cutoff, limit=30)
        for _, score, pos in found:
            row = int(self.name_owner[candidates[pos]])
            weighted = score * FUZZY_WEIGHT
            if not hits.hit[row] or hits.score[row] < weighted:
                hits.add(np.array([row], dtype=np.int64), weighted, "name_fuzzy")

    def matched_categories(self, phrase: str) -> list[str]:
        """Categories named by the phrase.  Latin-script terms must start at a word boundary
        ("line" is not in "online forms"); Japanese terms match as substrings either way.
        In a phrase of several words a term must cover (nearly) all of it, so that
        "防災 福岡" is searched word by word rather than as the category 防災 alone."""
        folded, key = fold(phrase), text_key(phrase)
        if not key:
            return []
        if is_short_token(key):  # "ai" is the AI of チャットボット・AI, not the "ai" inside another word
            return list(dict.fromkeys(code for term, code in self.category_terms.items()
                                      if re.search(r"(?<![a-z0-9])" + key + r"(?![a-z0-9])", term)))
        whole = " " in folded
        found = []
        query_starts_word = re.compile(r"(?<![a-z0-9])" + re.escape(folded)) if len(key) >= 4 and key.isascii() else None
        for term, code, term_key, starts_word in self.category_list:
            if term_key == key:
                found.append(code)
            elif whole and len(term_key) < len(key) - (2 if term.isascii() else 0):
                continue
            elif term.isascii():
                if len(term_key) >= 3 and starts_word.search(folded):
                    found.append(code)
                elif query_starts_word is not None and query_starts_word.search(term):
                    found.append(code)
            elif (len(term_key) >= 2 and term_key in key) or (len(key) >= 2 and key in term_key
                                                               and key not in self.generic):
                found.append(code)
        return list(dict.fromkeys(found))

    def _match_categories(self, phrase: str, hits: Matches) -> None:
        for code in self.matched_categories(phrase):
            hits.add(self.category_rows.get(code, np.zeros(0, dtype=np.int64)), SCORES["category"], "category", code)

    def _match_places(self, phrase: str, hits: Matches) -> None:
        key = text_key(phrase)
        if key.isascii() and len(key) >= 3:
            self._match_place_romaji(romaji_fold(key), hits)
        if len(key) < 2 or key not in self.places:
            return
        name, rows = self.places[key]
        hits.add_repeated(rows, SCORES["place"], "place", name)

    def _match_place_romaji(self, key: str, hits: Matches) -> None:
        """"kitakyushu", "Osaka": the head offices whose prefecture or municipality reads so (stored
        by the build from the gazetteer's romaji), each reason naming the place in Japanese."""
        for mark, column in ((PREF_MARK, self.hq_pref), (MUNI_MARK, self.hq_muni)):
            rows = self.place_romaji.get((mark, key), np.zeros(0, dtype=np.int64))
            codes, names = pd.factorize(column[rows], sort=True)
            for code, name in enumerate(names):
                if name:
                    hits.add(rows[codes == code], SCORES["place"], "place", name)

    def _match_text(self, phrase: str, hits: Matches) -> None:
        key = text_key(phrase)
        if is_short_token(key):
            rows, _ = self.tokens.find(TEXT_TOKEN + key + END)
        elif len(key) >= 2:
            rows, _ = self.texts.find(key)
        else:
            return
        if not len(rows):
            return
        # Relevance: how often the key occurs in the organisation's offerings, description and
        # product names (one per adoption), saturating like BM25's term frequency (k1 = 1.2).
        counts = np.bincount(rows, minlength=self.n)
        unique = np.flatnonzero(counts)
        tf = counts[unique].astype(np.float64)
        hits.relevance[unique] = np.maximum(hits.relevance[unique], tf * 2.2 / (tf + 1.2))
        hits.add(unique, SCORES["text"], "text", phrase)

    # -- the search -----------------------------------------------------------------------
    def search(self, query: str, limit: int | None = None) -> "SearchResult":
        """Every matching row, best first (``limit`` only for callers that want the top few)."""
        query = boundary(query)
        if not query:
            return SearchResult(query, None, "all")
        phrase_hits = self.match(query)
        hits, mode = phrase_hits, "phrase"
        words = [w for w in query.split(" ") if w]
        if not len(hits) and len(words) > 1:
            per_word = [self.match(w) for w in words]
            hits, mode = Combined(per_word, all_words=True), "all_words"
            if not len(hits):
                hits, mode = Combined(per_word, all_words=False), "any_word"
            if not len(hits):  # nothing for any word either: an honest empty result, not "any word"
                hits, mode = phrase_hits, "phrase"
        rows = self.rank(hits)
        if limit is not None:
            rows = rows[:limit]
        return SearchResult(query, rows, mode, hits)

    def rank(self, hits) -> np.ndarray:
        """Matched rows by score, then relevance of their own text to the query, then adoptions,
        then name (then row): a deterministic order."""
        rows = hits.rows()
        return rows[np.lexsort((self.name_rank[rows], self.neg_adoptions[rows], -hits.relevance[rows],
                                -hits.score[rows]))]


@dataclass
class SearchResult:
    query: str
    rows: np.ndarray | None      # matching rows best first; None: empty query (every row, unranked)
    mode: str                    # all | phrase | all_words | any_word
    hits: Matches | Combined | None = None

    @property
    def ranked(self) -> pd.DataFrame | None:
        """row, score, reasons of every match, best first (assembles every reason: for tests and small sets)."""
        if self.rows is None:
            return None
        return pd.DataFrame({"row": self.rows, "score": self.hits.score[self.rows],
                             "reasons": self.hits.reasons(self.rows)})
