"""Likely-duplicate detection for organisations: reported for a human, never merged silently.

Signals: the same 法人番号; names scoring at or above the cutoff with rapidfuzz, compared by their
identity keys (govmap/identity.py: legal form, case, width and kana folded, and look-alike characters
such as kanji 一/夕 for katakana ー/タ or Cyrillic/Greek letters for Latin folded to one skeleton), so
an impersonating spelling scores like the real name; a shared head-office municipality raises
confidence.  Pending submissions are compared with each other too (``among_submissions``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from govmap import settings
from govmap.identity import identity_key
from govmap.normalize import name_key


@dataclass(frozen=True)
class DuplicateCandidate:
    a: str
    b: str
    score: float
    reasons: tuple[str, ...]


LOOKALIKE = "look-alike characters"


def _keys(rec: dict) -> list[str]:
    return [k for k in (identity_key(rec.get("name_ja")), identity_key(rec.get("name_en"))) if len(k) >= 2]


def _lookalike(a: dict, b: dict) -> bool:
    """Same identity key, different spelling: one name imitates the other with look-alike characters."""
    ids_a, ids_b = set(_keys(a)), set(_keys(b))
    plain_a = {name_key(a.get(f)) for f in ("name_ja", "name_en")} - {""}
    plain_b = {name_key(b.get(f)) for f in ("name_ja", "name_en")} - {""}
    return bool(ids_a & ids_b) and not plain_a & plain_b


# Names of a movement's local chapters differ only in the place: "Code for Amagasaki" and "Code for
# Nagasaki" are two groups however alike the rest of the letters are.
CHAPTER_PREFIXES = ("codefor",)


def _other_chapter(x: str, y: str) -> bool:
    return any(x.startswith(p) and y.startswith(p) and x[len(p):] != y[len(p):] for p in CHAPTER_PREFIXES)


def _score(keys_a: list[str], keys_b: list[str]) -> float:
    return max((0.0 if _other_chapter(x, y) else fuzz.ratio(x, y) for x in keys_a for y in keys_b), default=0.0)


def find_duplicates(records: list[dict], cutoff: float | None = None) -> list[DuplicateCandidate]:
    """Pairs of likely duplicates among ``records`` (dicts with org_id, name_ja, name_en,
    corporate_number, hq_municipality_code).

    Names are compared within blocks sharing their first character (a national catalog has
    100,000 names; all pairs would be 10^10 comparisons).  A typo in the very first character is
    therefore missed; the same 法人番号 is still caught."""
    cutoff = float(cutoff if cutoff is not None else settings.get("duplicate_score_cutoff"))
    keys = [_keys(rec) for rec in records]
    blocks: dict[str, list[tuple[int, str]]] = {}
    for i, rec_keys in enumerate(keys):
        for key in rec_keys:
            blocks.setdefault(key[0], []).append((i, key))
    pairs: dict[tuple[int, int], float] = {}
    for entries in blocks.values():
        _pairs_in_block(entries, cutoff, pairs)
    _add_corporate_number_pairs(records, pairs)
    out = []
    for (i, j), score in sorted(pairs.items()):
        name_score = _score(keys[i], keys[j])
        number = records[i].get("corporate_number")
        if name_score < cutoff and not (number and number == records[j].get("corporate_number")):
            continue  # only alike as chapters of one movement (CHAPTER_PREFIXES)
        out.append(_candidate(records[i], records[j], score, name_score, cutoff))
    return out


def _pairs_in_block(entries: list[tuple[int, str]], cutoff: float, pairs: dict, chunk: int = 1000) -> None:
    owners = np.fromiter((i for i, _ in entries), dtype=np.int64, count=len(entries))
    keys = [k for _, k in entries]
    for start in range(0, len(keys), chunk):
        scores = process.cdist(keys[start:start + chunk], keys, scorer=fuzz.ratio, score_cutoff=cutoff,
                               dtype=np.uint8, workers=-1)
        for a, b in zip(*np.nonzero(scores)):
            i, j = int(owners[start + a]), int(owners[b])
            if i < j:
                pairs[(i, j)] = max(pairs.get((i, j), 0.0), float(scores[a, b]))


def _add_corporate_number_pairs(records: list[dict], pairs: dict) -> None:
    by_number: dict[str, int] = {}
    for i, rec in enumerate(records):
        number = rec.get("corporate_number") or ""
        if number in by_number:
            pair = (by_number[number], i)
            pairs[pair] = max(pairs.get(pair, 0.0), 100.0)
        elif number:
            by_number[number] = i


def _candidate(a: dict, b: dict, score: float, name_score: float, cutoff: float) -> DuplicateCandidate:
    reasons = []
    if name_score >= cutoff:
        reasons.append(f"name {name_score:.0f}")
        if _lookalike(a, b):
            reasons.append(LOOKALIKE)
    if a.get("corporate_number") and a.get("corporate_number") == b.get("corporate_number"):
        reasons.append("same corporate number")
    if a.get("hq_municipality_code") and a.get("hq_municipality_code") == b.get("hq_municipality_code"):
        reasons.append("same head-office municipality")
    return DuplicateCandidate(a["org_id"], b["org_id"], round(score, 1), tuple(reasons))


def _name_variants(rec: dict):
    """The record, then the record under each of its other names (former, trade and earlier-used
    names, organisations.other_names): a submission under an old name is the same organisation."""
    yield rec
    others = rec.get("other_names")
    for other in (list(others) if others is not None and not isinstance(others, str) else []):
        yield {**rec, "name_ja": other, "name_en": ""}


def similar_to(candidate: dict, records: list[dict], limit: int = 5, cutoff: float = 80.0) -> list[tuple[dict, float, tuple[str, ...]]]:
    """Existing records most like ``candidate`` (for the submission form's duplicate warning)."""
    cand_keys = _keys(candidate)
    out = []
    for rec in records:
        score, named = max(((_score(cand_keys, _keys(v)), v) for v in _name_variants(rec)), key=lambda t: t[0])
        reasons = []
        if score >= cutoff:
            reasons.append(f"name {score:.0f}")
            if _lookalike(candidate, named):
                reasons.append(LOOKALIKE)
        if candidate.get("corporate_number") and candidate.get("corporate_number") == rec.get("corporate_number"):
            reasons.append("same corporate number")
            score = 100.0
        if reasons:
            if candidate.get("hq_municipality_code") and candidate.get("hq_municipality_code") == rec.get("hq_municipality_code"):
                reasons.append("same head-office municipality")
            out.append((rec, score, tuple(reasons)))
    out.sort(key=lambda t: -t[1])
    return out[:limit]


def among_submissions(items: list[dict], cutoff: float) -> dict[str, list[dict]]:
    """For each open submission (dicts with receipt, name_ja, name_en, corporate_number,
    hq_municipality_code), the other open submissions it looks like, best first: identical or
    look-alike entries sent several times are shown to the reviewer as one case, not as strangers."""
    records = [{**item, "org_id": item["receipt"]} for item in items]
    by_receipt = {r["org_id"]: r for r in records}
    out: dict[str, list[dict]] = {}
    for cand in find_duplicates(records, cutoff=cutoff):
        for me, other in ((cand.a, cand.b), (cand.b, cand.a)):
            out.setdefault(me, []).append({"receipt": other, "name_ja": by_receipt[other].get("name_ja") or "",
                                           "score": cand.score, "reasons": list(cand.reasons)})
    for found in out.values():
        found.sort(key=lambda d: (-d["score"], d["receipt"]))
    return out
