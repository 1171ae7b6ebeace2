"""Audit of a built catalog: what the row-by-row input checks (etl/validate.py, etl/research.py)
cannot see, because it only shows once seed rows, researched facts, the conformance list and
approved submissions meet in one catalog (issue 14, item 7; docs/data-quality.md).

Each check is a function over a DuckDB connection to the catalog that returns a ``Check``: its
findings as ``etl.validate.Problem`` rows.  A ``Locator`` built from the inputs names the input file
and spreadsheet row a finding comes from; a row the inputs do not explain is named by its catalog
table (row 0).  Errors (a build must not publish them): facts without a source, invalid 法人番号, one
法人番号 on two organisations.  Everything else is a warning for a human to review.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb

from govmap import validators
from govmap.finder import source_quality
from govmap.normalize import place_key
from etl.facts import FLAG_FIELDS
from etl.validate import Problem, split_list

ERROR, WARNING = "error", "warning"
# A name key this short (電算, a bare acronym) is contained in many unrelated names.
MIN_CONTAINED_NAME = 3
_PARENS = re.compile(r"\([^)]*\)")
_NOW_CALLED = re.compile(r"\(現[・:]?([^)]+)\)")  # 鳩ヶ谷市(現・川口市): merged into 川口市
# www.city.chiba.jp, www2.pref.shizuoka.jp: municipal sites outside .lg.jp (not a cache copy of one)
_OFFICIAL_HOST = re.compile(r"^(www\d*\.)?(city|town|vill|pref)\.[a-z-]+(\.[a-z-]+)?\.(lg\.)?jp$|\.(lg|go)\.jp$")


@dataclass
class Check:
    name: str
    title: str
    severity: str
    problems: list[Problem]
    rows: int | None = None  # catalog rows concerned, when one finding groups several (a weak domain)

    @property
    def count(self) -> int:
        return len(self.problems)


class Locator:
    """Where a catalog row came from in the inputs (etl.build.Inputs): file and spreadsheet row."""

    def __init__(self, inputs=None):
        self.orgs: dict[str, tuple[str, int]] = {}
        self.services: dict[str, tuple[str, int]] = {}
        self.facts: dict[tuple, tuple[str, int]] = {}
        self.adoptions: dict[tuple, tuple[str, int]] = {}
        if inputs is not None:
            self._read(inputs)

    def _read(self, inputs) -> None:
        for r in inputs.vendors.to_dict("records"):
            at = (r["_file"], int(r["_row"]))
            self.orgs.setdefault(r["vendor_key"], at)
            for name in ("corporate_number", "website"):
                if r.get(name):
                    self.facts.setdefault(("organisation", r["vendor_key"], name, r[name]), at)
        for r in inputs.research.services.to_dict("records"):
            self.services.setdefault(r["service_key"], (r["_file"], int(r["_row"])))
        for r in inputs.research.facts.to_dict("records"):
            key = (r["entity_kind"], r["entity_key"], r["field"], r["value"])
            self.facts.setdefault(key, (r["_file"], int(r["_row"])))
        for r in inputs.adoptions.to_dict("records"):
            key = (r["vendor_key"], place_key(r["adopter_name_ja"]), r["category"])
            self.adoptions.setdefault(key, (r["_file"], int(r["_row"])))
        if inputs.std is not None:
            for r in inputs.std.packages.to_dict("records"):
                for number in split_list(r["corporate_numbers"]):
                    at = (r["_file"], int(r["_row"]))
                    self.orgs.setdefault(f"std_{number}", at)
                    self.facts.setdefault(("organisation", f"std_{number}", "corporate_number", number), at)

    def org(self, org_id: str) -> tuple[str, int]:
        return self.orgs.get(org_id, ("catalog.organisations", 0))

    def service(self, service_id: str) -> tuple[str, int]:
        if service_id in self.services:
            return self.services[service_id]
        org_id = service_id.partition(":")[0]  # <org>:1, the service a seed row's offerings make
        return self.orgs.get(org_id, ("catalog.services", 0))

    def fact(self, kind: str, entity_id: str, field: str, value: str) -> tuple[str, int]:
        if (kind, entity_id, field, value) in self.facts:
            return self.facts[(kind, entity_id, field, value)]
        return self.org(entity_id) if kind == "organisation" else self.service(entity_id)

    def adoption(self, org_id: str, adopter: str, category: str) -> tuple[str, int]:
        return self.adoptions.get((org_id, place_key(adopter), category), ("catalog.adoptions", 0))


def _problem(at: tuple[str, int], column: str, reason: str, severity: str) -> Problem:
    return Problem(at[0], at[1], column, reason, severity)


def is_valid_corporate_number(value: object) -> bool:
    try:
        validators.corporate_number(value)
    except validators.InvalidValue:
        return False
    return True


def unsourced_flags(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, bool]]:
    """(service_id, flag, value) of every known (non-NULL) flag of a service without a fact in use
    (v_fact_sources) for that service and field: a statement shown without its source."""
    cols = ", ".join(FLAG_FIELDS)
    return con.execute(f"""
        SELECT service_id, field, known FROM (UNPIVOT (SELECT service_id, {cols} FROM services)
                                              ON {cols} INTO NAME field VALUE known) u
        WHERE NOT EXISTS (SELECT 1 FROM v_fact_sources v
                          WHERE v.entity_kind = 'service' AND v.entity_id = u.service_id AND v.field = u.field)
        ORDER BY service_id, field""").fetchall()


# -- errors ------------------------------------------------------------------------------------------
def facts_without_source(con: duckdb.DuckDBPyConnection, where: Locator) -> Check:
    """Facts, certifications and adoptions whose source is missing, and known flags with no fact."""
    out = []
    for kind, entity, field, value in con.execute("""
            SELECT f.entity_kind, f.entity_id, f.field, f.value FROM facts f LEFT JOIN sources s USING (source_id)
            WHERE coalesce(trim(s.url), '') = ''""").fetchall():
        out.append(_problem(where.fact(kind, entity, field, value), field, f"{kind} {entity}: fact without a source URL", ERROR))
    for org_id, cert in con.execute("""
            SELECT c.org_id, c.certification FROM certifications c LEFT JOIN sources s USING (source_id)
            WHERE coalesce(trim(s.url), '') = ''""").fetchall():
        out.append(_problem(where.org(org_id), cert, f"organisation {org_id}: certification without a source URL", ERROR))
    for org_id, adopter, category in con.execute("""
            SELECT a.org_id, a.adopter_name, a.category FROM adoptions a LEFT JOIN sources s USING (source_id)
            WHERE coalesce(trim(s.url), '') = ''""").fetchall():
        out.append(_problem(where.adoption(org_id, adopter, category), "source_url",
                            f"adoption of {org_id} by {adopter}: no source URL", ERROR))
    for service_id, field, value in unsourced_flags(con):
        out.append(_problem(where.service(service_id), field,
                            f"service {service_id}: {field} = {str(value).lower()} but no fact in use gives its source", ERROR))
    return Check("facts_without_source", "facts without a source / 出典のない事実", ERROR, out)


def invalid_corporate_numbers(con: duckdb.DuckDBPyConnection, where: Locator) -> Check:
    """法人番号 failing the check digit, wherever the catalog holds one (organisations, every fact, the list)."""
    rows = con.execute("""
        SELECT org_id, corporate_number FROM organisations WHERE corporate_number IS NOT NULL
        UNION SELECT entity_id, value FROM facts WHERE field = 'corporate_number'
        UNION SELECT org_id, corporate_number FROM std_vendors
        ORDER BY 1, 2""").fetchall()
    out = [_problem(where.fact("organisation", org_id, "corporate_number", number), "corporate_number",
                    f"organisation {org_id}: invalid 法人番号 {number[:20]!r} (13 digits, check digit)", ERROR)
           for org_id, number in rows if not is_valid_corporate_number(number)]
    return Check("invalid_corporate_numbers", "invalid 法人番号 / 法人番号の誤り", ERROR, out)


def duplicate_corporate_numbers(con: duckdb.DuckDBPyConnection, where: Locator) -> Check:
    """One 法人番号 on several organisations: one legal entity listed twice (or a wrong number)."""
    out = []
    for number, ids, names in con.execute("""
            SELECT corporate_number, list(org_id ORDER BY org_id), list(name_ja ORDER BY org_id)
            FROM organisations WHERE corporate_number IS NOT NULL
            GROUP BY corporate_number HAVING count(*) > 1 ORDER BY corporate_number""").fetchall():
        for org_id, name in list(zip(ids, names))[1:]:
            out.append(_problem(where.fact("organisation", org_id, "corporate_number", number), "corporate_number",
                                f"organisation {org_id} ({name}) has 法人番号 {number}, as has {ids[0]} ({names[0]}): "
                                "one legal entity listed twice? merge them or correct the number", ERROR))
    return Check("duplicate_corporate_numbers", "one 法人番号 on several organisations / 法人番号の重複", ERROR, out)


# -- warnings ----------------------------------------------------------------------------------------
def adopters_outside_gazetteer(con: duckdb.DuckDBPyConnection, where: Locator) -> Check:
    out = [_problem(where.adoption(org_id, adopter, category), "adopter_name_ja",
                    f"adopter {adopter} ({kind}) is placed at {code or 'no municipality'}, not a gazetteer municipality", WARNING)
           for org_id, adopter, kind, code, category in con.execute("""
               SELECT a.org_id, a.adopter_name, a.adopter_kind, a.adopter_code, a.category
               FROM adoptions a LEFT JOIN municipalities m ON m.code = a.adopter_code
               WHERE m.code IS NULL ORDER BY a.adoption_id""").fetchall()]
    return Check("adopters_outside_gazetteer", "adopters not in the gazetteer / 自治体コードが台帳にない導入先", WARNING, out)


def former_municipality_adopters(con: duckdb.DuckDBPyConnection, where: Locator) -> Check:
    """Municipal adopters named otherwise than the municipality they are placed at: a municipality
    that no longer exists (merged: 鳩ヶ谷市(現・川口市)) or a name the gazetteer does not hold."""
    out = []
    for org_id, adopter, category, name, county, pref in con.execute("""
            SELECT a.org_id, a.adopter_name, a.category, m.name_ja, coalesce(m.county_ja, ''), m.pref_name
            FROM adoptions a JOIN municipalities m ON m.code = a.adopter_code
            WHERE a.adopter_kind = 'municipality' ORDER BY a.adoption_id""").fetchall():
        named = place_key(_PARENS.sub("", adopter))
        # 宇都宮市議会, 高座郡寒川町, 宮城県登米市: the municipality's own name leads
        if any(named.startswith(place_key(p + name)) for p in ("", county, pref)):
            continue
        now = _NOW_CALLED.search(adopter)
        reason = (f"adopter {adopter}: a former municipality (merged into {pref}{name}); the row is counted for {name}"
                  if now else f"adopter {adopter} is placed at {pref}{name}, whose name differs")
        out.append(_problem(where.adoption(org_id, adopter, category), "adopter_name_ja", reason, WARNING))
    return Check("former_municipality_adopters", "adopters named as a former municipality / 旧自治体名の導入先", WARNING, out)


def weak_source_domains(con: duckdb.DuckDBPyConnection, where: Locator | None = None) -> Check:
    """Per domain: facts in use and adoptions whose only source is weak (aggregator, other)."""
    per_domain = weak_domain_counts(con)
    out = []
    for host, (facts, adoptions, qualities) in per_domain.items():
        hint = "; the address looks official: check its quality" if _OFFICIAL_HOST.search(host) else ""
        out.append(Problem("catalog.sources", 0, host,
                           f"{facts} fact(s) in use and {adoptions} adoption(s) rest on this domain, marked "
                           f"{'/'.join(sorted(qualities))}{hint}", WARNING))
    rows = sum(f + a for f, a, _ in per_domain.values())
    return Check("weak_source_domains", "weak-source domains / 弱い出典のドメイン", WARNING, out, rows)


def weak_domain_counts(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[int, int, set[str]]]:
    """host → (facts in use, adoptions, qualities) for sources marked weak, most used first."""
    weak = ", ".join(f"'{q}'" for q in source_quality.WEAK)
    rows = con.execute(f"""
        SELECT source_url, source_quality, 'fact' FROM v_fact_sources WHERE source_quality IN ({weak})
        UNION ALL
        SELECT s.url, a.source_quality, 'adoption' FROM adoptions a JOIN sources s USING (source_id)
        WHERE a.source_quality IN ({weak})""").fetchall()
    facts, adoptions, qualities = Counter(), Counter(), {}
    for url, quality, kind in rows:
        host = source_quality.host(url) or url[:60]
        (facts if kind == "fact" else adoptions)[host] += 1
        qualities.setdefault(host, set()).add(quality)
    order = sorted(qualities, key=lambda h: (-(facts[h] + adoptions[h]), h))
    return {h: (facts[h], adoptions[h], qualities[h]) for h in order}


def similar_legal_entities(con: duckdb.DuckDBPyConnection, where: Locator) -> Check:
    """Two organisations where one's name is, or contains, the other's (a parent and a subsidiary, or
    one entity listed twice); the catalog records no relation between organisations."""
    out = []
    for a, a_name, a_number, b, b_name, b_number, same in con.execute(f"""
            SELECT a.org_id, a.name_ja, a.corporate_number, b.org_id, b.name_ja, b.corporate_number, a.name_key = b.name_key
            FROM organisations a JOIN organisations b
              ON a.org_id <> b.org_id AND length(a.name_key) >= {MIN_CONTAINED_NAME} AND contains(b.name_key, a.name_key)
            WHERE (a.name_key <> b.name_key OR a.org_id < b.org_id)
              AND coalesce(a.corporate_number <> b.corporate_number, TRUE)  -- one number on both: an error already
            ORDER BY b.org_id, a.org_id""").fetchall():
        unknown = " and ".join(o for o, n in ((a, a_number), (b, b_number)) if not n)
        if not unknown:
            numbers = "different 法人番号, so separate legal entities; no relation between them is recorded"
        elif same:
            numbers = f"法人番号 unknown for {unknown}: possibly one legal entity listed twice"
        else:
            numbers = f"法人番号 unknown for {unknown}: a parent, a subsidiary or the same entity? no relation is recorded"
        relation = "has the same name as" if same else "has a name containing that of"
        out.append(_problem(where.org(b), "name_ja", f"{b} ({b_name}) {relation} {a} ({a_name}); {numbers}", WARNING))
    return Check("similar_legal_entities", "likely duplicates across legal entities / 類似名の法人", WARNING, out)


def organisations_without_head_office(con: duckdb.DuckDBPyConnection, where: Locator) -> Check:
    out = []
    for org_id, name, address in con.execute("""
            SELECT org_id, name_ja, hq_address FROM organisations WHERE hq_pref_code IS NULL ORDER BY org_id""").fetchall():
        detail = f"its head office {address!r} could not be placed" if address else "no head office is known"
        out.append(_problem(where.org(org_id), "hq_address", f"organisation {org_id} ({name}): {detail}", WARNING))
    return Check("organisations_without_head_office", "organisations without a head office / 本社不明の組織", WARNING, out)


def services_without_name(con: duckdb.DuckDBPyConnection, where: Locator) -> Check:
    out = [_problem(where.service(service_id), "name_ja",
                    f"service {service_id} of {org_name}: no product name (its offerings only)", WARNING)
           for service_id, org_name in con.execute("""
               SELECT s.service_id, o.name_ja FROM services s JOIN organisations o USING (org_id)
               WHERE coalesce(s.name_ja, '') = '' AND coalesce(s.name_en, '') = '' ORDER BY s.service_id""").fetchall()]
    return Check("services_without_name", "services without a name / 名称のないサービス", WARNING, out)


CHECKS = (facts_without_source, invalid_corporate_numbers, duplicate_corporate_numbers, adopters_outside_gazetteer,
          former_municipality_adopters, weak_source_domains, similar_legal_entities,
          organisations_without_head_office, services_without_name)


def run(con: duckdb.DuckDBPyConnection, where: Locator | None = None) -> list[Check]:
    where = where or Locator()
    return [check(con, where) for check in CHECKS]


def audit_catalog(path: Path, inputs=None) -> list[Check]:
    """Audit the catalog at ``path`` (read-only); ``inputs`` only locate the findings."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return run(con, Locator(inputs))
    finally:
        con.close()


def audit_inputs(inputs) -> list[Check]:
    """Build a throw-away catalog from ``inputs`` (bad rows dropped: the input checks report them)
    into a temp folder and audit it; the catalog in place is not touched."""
    from etl.build import build
    where = Locator(inputs)  # before the build, which may drop rows from ``inputs``
    with tempfile.TemporaryDirectory(prefix="govmap-audit-") as tmp:
        try:
            out, _ = build(Path(tmp) / "catalog.duckdb", inputs=inputs, keep_going=True, progress=False)
        except Exception as exc:  # a real build would fail the same way: say so, keep the input problems
            failed = Problem("catalog", 0, "build", f"the catalog cannot be built, so it was not audited: "
                             f"{type(exc).__name__}: {exc}", ERROR)
            return [Check("build", "catalog build / カタログ作成", ERROR, [failed])]
        con = duckdb.connect(str(out), read_only=True)
        try:
            return run(con, where)
        finally:
            con.close()


def lines(checks: list[Check], limit: int | None = 10) -> list[str]:
    """Every error, at most ``limit`` findings of each warning check (None: all), then one count per check."""
    out = []
    for check in checks:
        shown = check.problems if check.severity == ERROR or limit is None else check.problems[:limit]
        out += [str(p) for p in shown]
        if len(shown) < check.count:
            out.append(f"  ... {check.count - len(shown)} more {check.name} (python -m etl validate --all)")
    out.append("catalog audit:")
    for check in checks:
        extra = f" ({check.rows} facts in use and adoptions)" if check.rows is not None else ""
        out.append(f"  {check.severity:7} {check.count:5}  {check.title}{extra}")
    return out
