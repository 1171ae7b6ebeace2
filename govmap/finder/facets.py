"""Facets over the organisation set: filters, and counts that update with the other filters.

The list, the map and the counts are all computed from one boolean mask over the search
index's rows, so they always show the same set.  Each facet's counts use every filter *except*
its own (the usual faceted-search behaviour), so choosing a value never hides its siblings.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

FLAG_COLUMNS = ("has_api", "open_export", "is_oss", "standard_compliant", "lgwan_asp", "ismap", "isms",
                "privacy_mark", "dmp_listed")
ORG_TYPES = ("startup", "sme", "large", "nonprofit", "public")
REGIONS = ("北海道", "東北", "関東", "中部", "近畿", "中国", "四国", "九州・沖縄")


@dataclass
class Filters:
    categories: list[str] = field(default_factory=list)   # any of
    regions: list[str] = field(default_factory=list)      # any of (head office)
    prefectures: list[str] = field(default_factory=list)  # any of (head office, pref name)
    org_types: list[str] = field(default_factory=list)    # any of
    flags: list[str] = field(default_factory=list)        # all must be known TRUE
    has_adoptions: bool = False
    location: str = "all"                                 # all | located | unlocated

    def is_empty(self) -> bool:
        return self == Filters()

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


class FacetTable:
    """Column arrays of the organisation set, prepared once per catalog build.

    Text facets (region, prefecture, type) are held as integer codes, so a filter is one table
    lookup and a count one ``bincount`` over the rows (no string comparison per row)."""

    def __init__(self, orgs: pd.DataFrame, category_codes: list[str]):
        self.n = len(orgs)
        self.category_codes = list(category_codes)
        self.cat_matrix = np.zeros((self.n, len(category_codes)), dtype=bool)
        position = {c: j for j, c in enumerate(category_codes)}
        for i, cats in enumerate(orgs["categories"].tolist()):
            for code in cats:
                if code in position:
                    self.cat_matrix[i, position[code]] = True
        self.cat_weights = self.cat_matrix.astype(np.float32)
        self.columns = {}
        for name, column in (("regions", "hq_region"), ("prefectures", "hq_pref_name"), ("org_types", "org_type")):
            values = pd.Series([v if isinstance(v, str) else "" for v in orgs[column].tolist()], dtype=object)
            codes, uniques = pd.factorize(values)
            self.columns[name] = (codes.astype(np.int64), list(uniques))
        self.flags = {c: orgs[c].eq(True).fillna(False).to_numpy(dtype=bool) for c in FLAG_COLUMNS}
        self.flags_known = {c: orgs[c].notna().to_numpy(dtype=bool) for c in FLAG_COLUMNS}
        self.has_adoptions = orgs["n_adoptions"].fillna(0).to_numpy() > 0
        self.located = orgs["located"].fillna(False).to_numpy(dtype=bool)

    def _chosen(self, name: str, chosen: list[str]) -> np.ndarray:
        """Lookup table over the codes of one text facet: True for the chosen values."""
        _, uniques = self.columns[name]
        wanted = set(chosen)
        return np.fromiter((u in wanted for u in uniques), dtype=bool, count=len(uniques))

    def _mask(self, filters: Filters, skip: str | None = None) -> np.ndarray:
        mask = np.ones(self.n, dtype=bool)
        if filters.categories and skip != "categories":
            cols = [self.category_codes.index(c) for c in filters.categories if c in self.category_codes]
            mask &= self.cat_matrix[:, cols].any(axis=1) if cols else False
        for name in ("regions", "prefectures", "org_types"):
            chosen = getattr(filters, name)
            if chosen and skip != name:
                codes, _ = self.columns[name]
                mask &= self._chosen(name, chosen)[codes]
        if skip != "flags":
            for flag in filters.flags:
                mask &= self.flags.get(flag, np.zeros(self.n, dtype=bool))
        if filters.has_adoptions and skip != "has_adoptions":
            mask &= self.has_adoptions
        if filters.location != "all" and skip != "location":
            mask &= self.located if filters.location == "located" else ~self.located
        return mask

    def mask(self, filters: Filters, base: np.ndarray | None = None) -> np.ndarray:
        """Rows passing every filter (and in ``base``, the search matches, when given)."""
        mask = self._mask(filters)
        return mask if base is None else mask & base

    def counts(self, filters: Filters, base: np.ndarray | None = None) -> dict[str, dict[str, int]]:
        """Per facet value: how many rows would match with that facet's own filter lifted."""
        def scoped(skip):
            m = self._mask(filters, skip)
            return m if base is None else m & base
        out: dict[str, dict[str, int]] = {}
        m = scoped("categories")
        totals = m.astype(np.float32) @ self.cat_weights  # exact: counts stay far below 2**24
        out["categories"] = dict(zip(self.category_codes, (int(round(v)) for v in totals.tolist())))
        for name in ("regions", "prefectures", "org_types"):
            codes, uniques = self.columns[name]
            counted = np.bincount(codes[scoped(name)], minlength=len(uniques))
            out[name] = {str(v): int(c) for v, c in sorted(zip(uniques, counted.tolist())) if v and c}
        m = scoped("flags")
        out["flags"] = {f: int(np.count_nonzero(self.flags[f] & m)) for f in FLAG_COLUMNS}
        out["flags_known"] = {f: int(np.count_nonzero(self.flags_known[f] & m)) for f in FLAG_COLUMNS}
        out["has_adoptions"] = {"yes": int(np.count_nonzero(self.has_adoptions & scoped("has_adoptions")))}
        m = scoped("location")
        out["location"] = {"located": int(np.count_nonzero(self.located & m)),
                           "unlocated": int(np.count_nonzero(~self.located & m))}
        return out
