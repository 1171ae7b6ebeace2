"""Search + facets + map inputs as one plain-Python step, so the list, the map and the counts
always come from the same set of rows (one boolean mask)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from govmap.catalog import Catalog
from govmap.facets import FacetTable, Filters
from govmap.search import SearchIndex

ORG_SQL = "SELECT * FROM v_organisations ORDER BY org_id"
ADOPTION_SQL = """SELECT org_id, org_name_ja, adopter_name, adopter_kind, adopter_code, adopter_pref_name,
                         category, service_name, year, lat, lon, geo_precision, source_url
                  FROM v_adoptions ORDER BY adoption_id"""


@dataclass
class BrowseResult:
    orgs: pd.DataFrame        # matching organisations, best first, with score and reasons
    counts: dict              # facet counts over the same set
    mode: str                 # all | phrase | all_words | any_word
    total: int                # number of organisations in the catalog


class Browser:
    """Everything the buyer pages need, loaded once per catalog build."""

    def __init__(self, catalog: Catalog):
        self.orgs = catalog.frame(ORG_SQL)
        self.categories = catalog.frame("SELECT * FROM categories ORDER BY sort_order")
        self.prefectures = catalog.frame("SELECT * FROM prefectures ORDER BY pref_code")
        self.adoptions = catalog.frame(ADOPTION_SQL)
        self.meta = catalog.meta()
        self.index = SearchIndex(self.orgs, self.categories)
        self.facets = FacetTable(self.orgs, list(self.categories["code"]))
        self.row_of = {org_id: i for i, org_id in enumerate(self.orgs["org_id"])}

    def run(self, query: str, filters: Filters) -> BrowseResult:
        result = self.index.search(query)
        if result.ranked is None:
            base = None
            order = np.lexsort((self.orgs["name_ja"].to_numpy(), -self.orgs["n_adoptions"].to_numpy()))
            scores = pd.DataFrame({"row": order, "score": 0.0, "reasons": [[] for _ in order]})
        else:
            base = np.zeros(self.index.n, dtype=bool)
            base[result.ranked["row"].to_numpy()] = True
            scores = result.ranked
        mask = self.facets.mask(filters, base)
        scores = scores[mask[scores["row"].to_numpy()]]
        orgs = self.orgs.iloc[scores["row"].to_numpy()].copy()
        orgs["score"] = scores["score"].to_numpy()
        orgs["reasons"] = scores["reasons"].to_list()
        return BrowseResult(orgs.reset_index(drop=True), self.facets.counts(filters, base), result.mode, self.index.n)

    def org(self, org_id: str) -> dict | None:
        row = self.row_of.get(org_id)
        return None if row is None else self.orgs.iloc[row].to_dict()

    def adoptions_of(self, org_ids) -> pd.DataFrame:
        return self.adoptions[self.adoptions["org_id"].isin(set(org_ids))]

    def adopter_points(self, org_ids) -> pd.DataFrame:
        """Adoptions of the given organisations aggregated per adopter point (the map layer)."""
        rows = self.adoptions_of(org_ids).dropna(subset=["lat", "lon"])
        if rows.empty:
            return pd.DataFrame(columns=["adopter_code", "adopter_name", "lat", "lon", "n_adoptions",
                                         "n_vendors", "vendors"])
        grouped = rows.groupby(["adopter_name", "adopter_code", "lat", "lon"], dropna=False)
        out = grouped.agg(n_adoptions=("org_id", "size"), n_vendors=("org_id", "nunique"),
                          vendors=("org_name_ja", lambda s: sorted(set(s)))).reset_index()
        return out

    def category_label(self, code: str, lang: str) -> str:
        match = self.categories[self.categories["code"] == code]
        if match.empty:
            return code
        return str(match.iloc[0]["label_ja" if lang == "ja" else "label_en"])

    def category_labels(self, lang: str) -> dict[str, str]:
        column = "label_ja" if lang == "ja" else "label_en"
        return dict(zip(self.categories["code"], self.categories[column]))


REASON_LABELS = {
    "name_exact": ("名称が一致", "name matches"), "name_prefix": ("名称が前方一致", "name starts with it"),
    "name_contains": ("名称に含まれる", "in the name"), "name_fuzzy": ("名称が類似(表記ゆれ)", "similar name (typo-tolerant)"),
    "category": ("カテゴリ", "category"), "text": ("提供内容・説明に一致", "in offerings/description"),
    "place": ("所在地", "head office in"),
}


def describe_reasons(reasons: list[tuple[str, str]], lang: str, category_labels: dict[str, str]) -> str:
    """Why a row matched, in the UI language (plain text; callers escape for their context)."""
    parts = []
    for kind, detail in reasons:
        ja, en = REASON_LABELS.get(kind, (kind, kind))
        label = ja if lang == "ja" else en
        if kind == "category":
            parts.append(f"{label}: {category_labels.get(detail, detail)}")
        elif kind == "place":
            parts.append(f"{label}: {detail}")
        else:
            parts.append(label)
    return " / ".join(dict.fromkeys(parts))
