"""Search + facets + map inputs as one plain-Python step, so the list, the map and the counts
always come from the same set of rows (one boolean mask)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from govmap.finder.catalog import Catalog
from govmap.finder.facets import FacetTable, Filters
from govmap.places import Places
from govmap.finder.search import KEYS_VERSION, SearchIndex

ORG_SQL = "SELECT * FROM v_organisations ORDER BY org_id"
ADOPTION_SQL = """SELECT org_id, org_name_ja, adopter_name, adopter_kind, adopter_code, adopter_pref_name,
                         category, service_name, year, lat, lon, geo_precision, source_url,
                         adoption_kind, source_quality, as_of, service_id
                  FROM v_adoptions ORDER BY adoption_id"""
# Every fact in use about an organisation and its services, each with its own source and date.
FACTS_SQL = """SELECT entity_kind, entity_id, field, value, source_url, as_of, source_quality, origin, derived_from
    FROM v_fact_sources
    WHERE (entity_kind = 'organisation' AND entity_id = ?1)
       OR (entity_kind = 'service' AND entity_id IN (SELECT service_id FROM services WHERE org_id = ?1))"""
# The fields a fact can be about (etl/facts.py, facts.field), in the order a buyer reads them.
FACT_FIELDS = ("legal_name", "trade_name", "corporate_number", "hq_address", "hq_postal_code", "website", "contact_url",
               "product_name", "standard_compliant", "lgwan_asp", "ismap", "ismap_liu", "isms", "privacy_mark",
               "dmp_listed", "data_in_japan", "has_api", "api_docs_url", "open_export", "export_formats", "is_oss",
               "price_band", "price_url")
POINT_COLUMNS = ["adopter_code", "adopter_name", "lat", "lon", "n_adoptions", "n_vendors", "vendors", "adoptions", "kinds"]


PLACES_SQL = "SELECT code, pref_name, name_ja, name_kana, name_romaji, kind, parent_code FROM municipalities ORDER BY code"
KEYS_SQL = "SELECT org_id, name_keys, text_key FROM org_search_keys ORDER BY org_id"
MAP_COLUMNS = ["org_id", "name_ja", "name_en", "org_type", "hq_pref_name", "hq_municipality_name",
               "hq_municipality_code", "lat", "lon", "located", "website", "categories"]


class BrowseResult:
    """The organisations one query and set of filters select, best first, plus the facet counts.

    Holds row numbers only; frames are made on demand, so a page pays for the rows it shows
    (``frame(limit)``), the map input (``located()``) and, when someone downloads, all of them."""

    def __init__(self, browser: "Browser", rows: np.ndarray, hits, counts: dict, mode: str):
        self.browser, self.rows, self.hits = browser, rows, hits
        self.counts = counts      # facet counts over the same set
        self.mode = mode          # all | phrase | all_words | any_word
        self.total = browser.index.n  # number of organisations in the catalog
        self._orgs: pd.DataFrame | None = None

    def __len__(self) -> int:
        return len(self.rows)

    def frame(self, limit: int | None = None, columns: list[str] | None = None) -> pd.DataFrame:
        """The first ``limit`` matches (all when None) with score and reasons."""
        rows = self.rows if limit is None else self.rows[:limit]
        source = self.browser.orgs if columns is None else self.browser.orgs[columns]
        out = source.take(rows).reset_index(drop=True)
        if self.hits is None:
            out["score"] = 0.0
            out["reasons"] = [[] for _ in range(len(rows))]
        else:
            out["score"] = self.hits.score[rows]
            out["reasons"] = self.hits.reasons(rows)
        return out

    @property
    def orgs(self) -> pd.DataFrame:
        """Every match as one frame (assembled once, on first use)."""
        if self._orgs is None:
            self._orgs = self.frame()
        return self._orgs

    def located(self, columns: list[str] | None = None, lang: str = "ja") -> pd.DataFrame:
        """The matches that have a head-office point (the map's input), best first, with hq_label
        (in ``lang``: romaji in English)."""
        rows = self.rows[self.browser.facets.located[self.rows]]
        out = self.browser.orgs[columns or MAP_COLUMNS].take(rows).reset_index(drop=True)
        out["hq_label"] = self.browser.hq_labels_in(lang)[rows]
        return out

    def unlocated_names(self) -> list[str]:
        rows = self.rows[~self.browser.facets.located[self.rows]]
        return [self.browser.index.names_ja[r] for r in rows.tolist()]

    def org_ids(self, limit: int | None = None) -> list[str]:
        rows = self.rows if limit is None else self.rows[:limit]
        return self.browser.org_ids[rows].tolist()


def adoption_items(rows: pd.DataFrame) -> pd.Series:
    """[vendor, service, year, kind] of each adoption row (None when unknown), for aggregation per
    adopter point with ``sorted_items`` (the adopter popups list them, govmap.maps.mapview)."""
    kinds = rows["adoption_kind"] if "adoption_kind" in rows else [None] * len(rows)
    return pd.Series([[_or_none(v), _or_none(s), int(y) if pd.notna(y) else None, _or_none(k)]
                      for v, s, y, k in zip(rows["org_name_ja"], rows["service_name"], rows["year"], kinds)],
                     index=rows.index, dtype=object)


def sorted_items(items: pd.Series) -> list[list]:
    """One adopter point's items: by vendor, then year (unknown last), then service."""
    return sorted(items, key=lambda i: (str(i[0]), i[2] is None, i[2] or 0, str(i[1])))


def adopter_points(rows: pd.DataFrame) -> pd.DataFrame:
    """Adoption rows aggregated per adopter point (the map's adoption layer): counts, vendor names,
    ``adoptions`` = [vendor, service, year] per adoption and ``kinds`` = its adoption kind, in the
    same order."""
    rows = rows.dropna(subset=["lat", "lon"])
    if rows.empty:
        return pd.DataFrame(columns=POINT_COLUMNS)
    grouped = rows.assign(items=adoption_items(rows)).groupby(["adopter_name", "adopter_code", "lat", "lon"],
                                                              dropna=False)
    out = grouped.agg(n_adoptions=("org_id", "size"), n_vendors=("org_id", "nunique"),
                      vendors=("org_name_ja", lambda s: sorted(set(s))), items=("items", sorted_items)).reset_index()
    out["adoptions"] = [[item[:3] for item in items] for items in out["items"]]
    out["kinds"] = [[item[3] for item in items] for items in out["items"]]
    return out[POINT_COLUMNS]


def _or_none(value):
    return value if isinstance(value, str) and value.strip() else None


class Browser:
    """Everything the buyer pages need, loaded once per catalog build."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.orgs = catalog.frame(ORG_SQL)
        self.categories = catalog.frame("SELECT * FROM categories ORDER BY sort_order")
        self.prefectures = catalog.frame("SELECT * FROM prefectures ORDER BY pref_code")
        self.meta = catalog.meta()
        self.index = SearchIndex(self.orgs, self.categories, keys=self._stored_keys(catalog))
        self.facets = FacetTable(self.orgs, list(self.categories["code"]))
        self.org_ids = self.orgs["org_id"].to_numpy(dtype=object)
        self.row_of = {org_id: i for i, org_id in enumerate(self.org_ids.tolist())}
        pref = self.orgs["hq_pref_name"].astype(object).where(self.orgs["hq_pref_name"].notna(), "")
        muni = self.orgs["hq_municipality_name"].astype(object).where(self.orgs["hq_municipality_name"].notna(), "")
        self.hq_labels = (pref + muni).to_numpy(dtype=object)  # "" when unknown (pages say so in their language)
        self.places = Places(self.prefectures, catalog.frame(PLACES_SQL))
        self._hq_labels = {"ja": self.hq_labels}
        self._adoptions: pd.DataFrame | None = None

    def hq_labels_in(self, lang: str) -> np.ndarray:
        """Head-office labels of every organisation in ``lang`` ("" when unknown), made once per language."""
        if lang not in self._hq_labels:
            columns = ["hq_pref_name", "hq_municipality_name", "hq_municipality_code"]
            self._hq_labels[lang] = np.array([self.places.hq_label(p, m, c, lang) for p, m, c in
                                              self.orgs[columns].itertuples(index=False)], dtype=object)
        return self._hq_labels[lang]

    def _stored_keys(self, catalog: Catalog) -> pd.DataFrame | None:
        """The search keys the ETL stored, if this catalog has them and they are of this version."""
        if catalog.meta().get("search_keys_version") != KEYS_VERSION:
            return None
        return catalog.frame(KEYS_SQL)

    @property
    def adoptions(self) -> pd.DataFrame:
        """Every adoption (loaded on first use: the default map view does not need them)."""
        if self._adoptions is None:
            self._adoptions = self.catalog.frame(ADOPTION_SQL)
        return self._adoptions

    def run(self, query: str, filters: Filters) -> BrowseResult:
        result = self.index.search(query)
        if result.rows is None:
            base, ranked = None, self.index.default_order
        else:
            base, ranked = result.hits.hit, result.rows
        mask = self.facets.mask(filters, base)
        return BrowseResult(self, ranked[mask[ranked]], result.hits, self.facets.counts(filters, base), result.mode)

    def org(self, org_id: str) -> dict | None:
        row = self.row_of.get(org_id)
        return None if row is None else self.orgs.iloc[row].to_dict()

    def adoptions_of(self, org_ids) -> pd.DataFrame:
        return self.adoptions[self.adoptions["org_id"].isin(set(org_ids))]

    def adopter_points(self, org_ids) -> pd.DataFrame:
        """Adoptions of the given organisations aggregated per adopter point (the map layer)."""
        return adopter_points(self.adoptions_of(org_ids))

    def facts_of(self, org_id: str) -> pd.DataFrame:
        """Every fact in use about the organisation and its services (v_fact_sources): the
        organisation's first, then each service's, fields in FACT_FIELDS order."""
        facts = self.catalog.frame(FACTS_SQL, [org_id])
        order = {f: i for i, f in enumerate(FACT_FIELDS)}
        keys = facts.assign(_kind=facts["entity_kind"].ne("organisation"),
                            _field=facts["field"].map(order).fillna(len(order)))
        return (facts.loc[keys.sort_values(["_kind", "entity_id", "_field", "field"], kind="mergesort").index]
                .reset_index(drop=True))

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
