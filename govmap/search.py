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
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from govmap import settings
from govmap.normalize import boundary, fold, name_key, romaji_key, text_key

SYNONYMS = settings.ROOT / "data" / "taxonomy" / "synonyms.csv"
SEP = "\x00"
SCORES = {"name_exact": 100.0, "name_prefix": 92.0, "name_contains": 85.0, "category": 70.0,
          "text": 60.0, "place": 50.0}
FUZZY_WEIGHT = 0.8


@dataclass
class Hit:
    score: float = 0.0
    reasons: list[tuple[str, str]] = field(default_factory=list)

    def add(self, score: float, reason: tuple[str, str]) -> None:
        self.score = max(self.score, score) + (0.01 * len(self.reasons))
        if reason not in self.reasons:
            self.reasons.append(reason)


class Haystack:
    """Many short strings joined into one, searchable for substrings at C speed."""

    def __init__(self, texts: list[str]):
        self.text = SEP + SEP.join(texts) + SEP
        lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
        self.starts = np.concatenate(([1], 1 + np.cumsum(lengths)[:-1])) if len(texts) else np.array([], dtype=np.int64)

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


class SearchIndex:
    """Built once per catalog build from ``v_organisations`` (plus the taxonomy and places)."""

    def __init__(self, orgs: pd.DataFrame, categories: pd.DataFrame, synonyms: dict[str, str] | None = None):
        self.orgs = orgs.reset_index(drop=True)
        self.n = len(self.orgs)
        self.name_keys = [self._org_name_keys(r) for r in self.orgs.itertuples()]
        self.names = Haystack([SEP.join(keys) for keys in self.name_keys])
        self.name_choices = [k for keys in self.name_keys for k in keys]
        self.name_owner = np.fromiter((i for i, keys in enumerate(self.name_keys) for _ in keys), dtype=np.int64)
        self.texts = Haystack([self._org_text(r) for r in self.orgs.itertuples()])
        self.category_rows = self._category_rows()
        self.category_terms = self._category_terms(categories, synonyms if synonyms is not None else load_synonyms())
        self.places = self._place_index()

    @staticmethod
    def _org_name_keys(row) -> list[str]:
        keys = [name_key(row.name_ja), name_key(row.name_en), romaji_key(row.name_ja)]
        if isinstance(getattr(row, "name_kana", None), str):
            keys += [name_key(row.name_kana), romaji_key(row.name_kana)]
        return list(dict.fromkeys(k for k in keys if k))

    @staticmethod
    def _org_text(row) -> str:
        parts = [*list(row.offerings_ja), *list(row.offerings_en), row.description or ""]
        return text_key(" ".join(str(p) for p in parts))

    def _category_rows(self) -> dict[str, np.ndarray]:
        rows: dict[str, list[int]] = {}
        for i, cats in enumerate(self.orgs["categories"]):
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

    def _place_index(self) -> dict[str, tuple[str, np.ndarray]]:
        """Place key → (display name, org rows) for head-office prefectures and municipalities."""
        index: dict[str, tuple[str, list[int]]] = {}
        for column in ("hq_pref_name", "hq_municipality_name"):
            for i, name in enumerate(self.orgs[column]):
                if isinstance(name, str) and name:
                    city = name[:name.index("市") + 1] if "市" in name[:-1] and name.endswith("区") else ""
                    for key in {text_key(name), text_key(name[:-1]) if len(name) > 2 else "", text_key(city)} - {""}:
                        index.setdefault(key, (name, []))[1].append(i)
        return {k: (name, np.asarray(rows, dtype=np.int64)) for k, (name, rows) in index.items()}

    # -- matching -------------------------------------------------------------------------
    def match(self, phrase: str) -> dict[int, Hit]:
        """Rows matching one phrase, with scores and reasons."""
        hits: dict[int, Hit] = {}
        self._match_names(phrase, hits)
        self._match_categories(phrase, hits)
        self._match_places(phrase, hits)
        self._match_text(phrase, hits)
        return hits

    def _match_names(self, phrase: str, hits: dict[int, Hit]) -> None:
        keys = {k for k in (name_key(phrase), romaji_key(phrase)) if k}
        for key in keys:
            rows, prefix = self.names.find(key)
            for row, is_prefix in zip(rows.tolist(), prefix.tolist()):
                exact = key in self.name_keys[row]
                kind = "name_exact" if exact else "name_prefix" if is_prefix else "name_contains"
                if kind == "name_contains" and len(key) < 2:
                    continue
                hits.setdefault(row, Hit()).add(SCORES[kind], (kind, self.orgs.at[row, "name_ja"]))
            if len(key) >= 2:
                self._match_fuzzy(key, hits)

    def _match_fuzzy(self, key: str, hits: dict[int, Hit]) -> None:
        cutoff = float(settings.get("fuzzy_score_cutoff"))
        for _, score, pos in process.extract(key, self.name_choices, scorer=fuzz.ratio,
                                             score_cutoff=cutoff, limit=30):
            row = int(self.name_owner[pos])
            if row not in hits or hits[row].score < score * FUZZY_WEIGHT:
                hits.setdefault(row, Hit()).add(score * FUZZY_WEIGHT, ("name_fuzzy", self.orgs.at[row, "name_ja"]))

    def matched_categories(self, phrase: str) -> list[str]:
        """Categories named by the phrase.  Latin-script terms must start at a word boundary
        ("line" is not in "online forms"); Japanese terms match as substrings either way.
        In a phrase of several words a term must cover (nearly) all of it, so that
        "防災 福岡" is searched word by word rather than as the category 防災 alone."""
        folded, key = fold(phrase), text_key(phrase)
        if not key:
            return []
        whole = " " in folded
        found = []
        for term, code in self.category_terms.items():
            term_key = text_key(term)
            if term_key == key:
                found.append(code)
            elif whole and len(term_key) < len(key) - (2 if term.isascii() else 0):
                continue
            elif term.isascii():
                if len(term_key) >= 3 and re.search(r"(?<![a-z0-9])" + re.escape(term), folded):
                    found.append(code)
                elif len(key) >= 4 and key.isascii() and re.search(r"(?<![a-z0-9])" + re.escape(folded), term):
                    found.append(code)
            elif (len(term_key) >= 2 and term_key in key) or (len(key) >= 2 and key in term_key):
                found.append(code)
        return list(dict.fromkeys(found))

    def _match_categories(self, phrase: str, hits: dict[int, Hit]) -> None:
        for code in self.matched_categories(phrase):
            for row in self.category_rows.get(code, np.array([], dtype=np.int64)).tolist():
                hits.setdefault(row, Hit()).add(SCORES["category"], ("category", code))

    def _match_places(self, phrase: str, hits: dict[int, Hit]) -> None:
        key = text_key(phrase)
        if len(key) < 2 or key not in self.places:
            return
        name, rows = self.places[key]
        for row in rows.tolist():
            hits.setdefault(row, Hit()).add(SCORES["place"], ("place", name))

    def _match_text(self, phrase: str, hits: dict[int, Hit]) -> None:
        key = text_key(phrase)
        if len(key) < 2:
            return
        rows, _ = self.texts.find(key)
        for row in np.unique(rows).tolist():
            hits.setdefault(row, Hit()).add(SCORES["text"], ("text", phrase))

    # -- the search -----------------------------------------------------------------------
    def search(self, query: str, limit: int | None = None) -> "SearchResult":
        """Every matching row, best first (``limit`` only for callers that want the top few)."""
        query = boundary(query)
        if not query:
            return SearchResult(query, None, "all")
        hits, mode = self.match(query), "phrase"
        words = [w for w in query.split(" ") if w]
        if not hits and len(words) > 1:
            per_word = [self.match(w) for w in words]
            hits, mode = _combine(per_word, all_words=True), "all_words"
            if not hits:
                hits, mode = _combine(per_word, all_words=False), "any_word"
        return SearchResult(query, self._rank(hits, limit), mode)

    def _rank(self, hits: dict[int, Hit], limit: int | None) -> pd.DataFrame:
        if not hits:
            return pd.DataFrame({"row": pd.Series([], dtype="int64"), "score": pd.Series([], dtype=float),
                                 "reasons": pd.Series([], dtype=object)})
        rows = np.fromiter(hits.keys(), dtype=np.int64, count=len(hits))
        frame = pd.DataFrame({"row": rows, "score": [hits[r].score for r in rows.tolist()],
                              "reasons": [hits[r].reasons for r in rows.tolist()],
                              "n_adoptions": self.orgs["n_adoptions"].to_numpy()[rows],
                              "name": self.orgs["name_ja"].to_numpy()[rows]})
        frame = frame.sort_values(["score", "n_adoptions", "name"], ascending=[False, False, True], kind="stable")
        if limit is not None:
            frame = frame.head(limit)
        return frame[["row", "score", "reasons"]].reset_index(drop=True)


def _combine(per_word: list[dict[int, Hit]], all_words: bool) -> dict[int, Hit]:
    rows = set(per_word[0])
    for hits in per_word[1:]:
        rows = rows & set(hits) if all_words else rows | set(hits)
    combined: dict[int, Hit] = {}
    for row in rows:
        hit = Hit()
        for hits in per_word:
            if row in hits:
                hit.score += hits[row].score
                hit.reasons.extend(r for r in hits[row].reasons if r not in hit.reasons)
        combined[row] = hit
    return combined


@dataclass
class SearchResult:
    query: str
    ranked: pd.DataFrame | None  # None: empty query (every row matches, unranked)
    mode: str                    # all | phrase | all_words | any_word
