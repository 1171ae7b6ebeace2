"""Data-quality report of a built catalog: coverage per field, per prefecture, the sources' strength,
and the issue-14 targets with their measured value (``python -m etl report``; docs/data-quality.md).

``figures`` computes every number once from the catalog (one SQL query each, so a test can compare
them with its own); ``tables`` lays them out; ``text`` and ``markdown`` render the same tables.
Unknown is never counted as no: a share is of the rows where the catalog knows the field.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb

from govmap import escape, settings
from govmap.finder import adoption_kinds, source_quality
from etl.audit import is_valid_corporate_number, unsourced_flags, weak_domain_counts
from etl.facts import FLAG_FIELDS, MAIN_FLAGS

ORG_FIELDS = (  # key, label, condition on organisations
    ("org_hq_municipality", "本社(市区町村まで) / head office, municipality precision", "hq_municipality_code IS NOT NULL"),
    ("org_hq_any", "本社(都道府県以上) / any head office", "hq_pref_code IS NOT NULL"),
    ("org_website", "ウェブサイト / website", "coalesce(website, '') <> ''"),
    ("org_contact_url", "問い合わせページ / contact page", "coalesce(contact_url, '') <> ''"),
    ("org_legal_name", "商号 / legal name", "coalesce(legal_name, '') <> ''"),
)
FLAG_LABELS = {"standard_compliant": "標準準拠", "lgwan_asp": "LGWAN-ASP", "ismap": "ISMAP (or ISMAP-LIU)", "isms": "ISMS",
               "privacy_mark": "プライバシーマーク", "dmp_listed": "DMP", "data_in_japan": "国内データ保管 / data in Japan",
               "has_api": "API", "open_export": "オープン形式エクスポート / open export"}
ORIGIN_LABELS = {"seed": "初期データ / seed", "research": "調査 / research", "reference": "適合確認リスト / conformance list",
                 "submission": "掲載申請 / submission", "synthetic": "合成 / synthetic"}
MIN_FLAGS_KNOWN = 3
TOP_WEAK_DOMAINS = 10
_HOST = re.compile(r"[a-z0-9.-]+")  # a host name: safe in a Markdown code span


def _known(flag: str) -> str:
    # ISMAP counts once whether the service is on ISMAP or ISMAP-LIU (etl/facts.py MAIN_FLAGS)
    return "(ismap IS NOT NULL OR ismap_liu IS NOT NULL)" if flag == "ismap" else f"{flag} IS NOT NULL"


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(sql).fetchone()[0] or 0)


def figures(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Every count the report shows (shares are computed from these)."""
    f = {"organisations": _one(con, "SELECT count(*) FROM organisations")}
    for key, _, cond in ORG_FIELDS:
        f[key] = _one(con, f"SELECT count(*) FROM organisations WHERE {cond}")
    numbers = [n for (n,) in con.execute("SELECT corporate_number FROM organisations WHERE corporate_number IS NOT NULL").fetchall()]
    f["org_corporate_number_valid"] = sum(map(is_valid_corporate_number, numbers))
    f["org_corporate_number_invalid"] = len(numbers) - f["org_corporate_number_valid"]

    f["services"] = _one(con, "SELECT count(*) FROM services")
    f["svc_named"] = _one(con, "SELECT count(*) FROM services WHERE coalesce(name_ja, '') <> '' OR coalesce(name_en, '') <> ''")
    for flag in MAIN_FLAGS:
        f[f"svc_flag_{flag}"] = _one(con, f"SELECT count(*) FROM services WHERE {_known(flag)}")
    known = " + ".join(f"CASE WHEN {_known(flag)} THEN 1 ELSE 0 END" for flag in MAIN_FLAGS)
    f["svc_flags_3plus"] = _one(con, f"SELECT count(*) FROM services WHERE {known} >= {MIN_FLAGS_KNOWN}")
    f["svc_price_url"] = _one(con, "SELECT count(*) FROM services WHERE coalesce(price_url, '') <> ''")
    f["svc_export_formats"] = _one(con, "SELECT count(*) FROM services WHERE coalesce(export_formats, '') <> ''")
    flags = ", ".join(FLAG_FIELDS)
    f["known_flags"] = _one(con, f"SELECT count(*) FROM (UNPIVOT (SELECT service_id, {flags} FROM services) ON {flags} INTO NAME field VALUE v)")
    f["known_flags_unsourced"] = len(unsourced_flags(con))

    weak = ", ".join(f"'{q}'" for q in source_quality.WEAK)
    f["facts"] = _one(con, "SELECT count(*) FROM facts")
    f["facts_in_use"] = _one(con, "SELECT count(*) FROM facts WHERE in_use")
    f["facts_in_use_weak"] = _one(con, f"SELECT count(*) FROM facts WHERE in_use AND source_quality IN ({weak})")

    kinds = ", ".join(f"'{k}'" for k in adoption_kinds.KINDS)
    f["adoptions"] = _one(con, "SELECT count(*) FROM adoptions")
    f["adoptions_with_kind"] = _one(con, f"SELECT count(*) FROM adoptions WHERE adoption_kind IN ({kinds})")
    f["adoptions_with_year"] = _one(con, "SELECT count(*) FROM adoptions WHERE year IS NOT NULL")
    f["adoptions_weak"] = _one(con, f"SELECT count(*) FROM adoptions WHERE source_quality IN ({weak})")
    f["adopter_municipalities"] = _one(con, """
        SELECT count(DISTINCT coalesce(m.parent_code, m.code)) FROM adoptions a JOIN municipalities m ON m.code = a.adopter_code
        WHERE a.adopter_kind = 'municipality'""")  # a designated-city ward counts as its city
    f["municipalities"] = _one(con, "SELECT count(*) FROM municipalities WHERE kind <> 'ward'")
    f["std_vendors"] = _one(con, "SELECT count(DISTINCT org_id) FROM std_vendors")
    f["std_vendors_without_compliant_service"] = _one(con, """
        SELECT count(DISTINCT v.org_id) FROM std_vendors v
        WHERE NOT EXISTS (SELECT 1 FROM services s WHERE s.org_id = v.org_id AND s.standard_compliant)""")
    return f


def share(n: int, of: int) -> float:
    return n / of if of else 0.0


def pct(n: int, of: int) -> str:
    return f"{100 * share(n, of):.1f} %" if of else "–"


def targets(f: dict[str, int]) -> list[tuple[str, str, bool]]:
    """(target, measured, met) for each issue-14 target."""
    orgs, services = f["organisations"], f["services"]
    return [
        ("≥300 organisations / 組織", f"{orgs}", orgs >= 300),
        ("≥90 % head offices at municipality precision (of all organisations) / 本社の市区町村",
         pct(f["org_hq_municipality"], orgs), share(f["org_hq_municipality"], orgs) >= 0.9),
        ("≥40 % valid 法人番号 and 0 invalid / 法人番号",
         f"{pct(f['org_corporate_number_valid'], orgs)} valid, {f['org_corporate_number_invalid']} invalid",
         share(f["org_corporate_number_valid"], orgs) >= 0.4 and f["org_corporate_number_invalid"] == 0),
        ("≥80 % services named / サービス名", pct(f["svc_named"], services), share(f["svc_named"], services) >= 0.8),
        (f"≥50 % services with ≥{MIN_FLAGS_KNOWN} of 9 flags known / 9項目中{MIN_FLAGS_KNOWN}項目以上判明",
         pct(f["svc_flags_3plus"], services), share(f["svc_flags_3plus"], services) >= 0.5),
        ("every known flag has a v_fact_sources row / 判明した項目すべてに出典",
         f"{f['known_flags'] - f['known_flags_unsourced']} of {f['known_flags']}", f["known_flags_unsourced"] == 0),
        ("≥500 adoptions, each with a kind / 導入実績(種別つき)",
         f"{f['adoptions']} ({f['adoptions'] - f['adoptions_with_kind']} without a kind)",
         f["adoptions"] >= 500 and f["adoptions_with_kind"] == f["adoptions"]),
        ("≥300 adopter municipalities / 導入自治体", f"{f['adopter_municipalities']:,} of {f['municipalities']:,}",
         f["adopter_municipalities"] >= 300),
        ("every conformance-list vendor has a standard_compliant service / 適合確認ベンダー",
         f"{f['std_vendors'] - f['std_vendors_without_compliant_service']} of {f['std_vendors']}",
         f["std_vendors_without_compliant_service"] == 0),
    ]


@dataclass
class Table:
    title: str
    columns: tuple[str, ...]
    rows: list[tuple]
    untrusted: tuple[int, ...] = ()  # columns of text taken from sources (escaped in Markdown)

    def numeric(self) -> list[bool]:
        """Columns of numbers and shares (right-aligned)."""
        return [bool(self.rows) and all(isinstance(r[i], (int, float)) or str(r[i]).endswith("%") or r[i] == ""
                                        for r in self.rows) for i in range(len(self.columns))]


def _coverage(title: str, total: int, items: list[tuple]) -> Table:
    """Rows (label, n) of ``total``, or (label, n, of) when a row has its own denominator."""
    rows = [(label, n, of[0] if of else total, pct(n, of[0] if of else total)) for label, n, *of in items]
    return Table(f"{title} ({total})", ("field", "n", "of", "share"), rows)


def tables(con: duckdb.DuckDBPyConnection, f: dict[str, int] | None = None) -> list[Table]:
    f = f or figures(con)
    orgs = [(label, f[key]) for key, label, _ in ORG_FIELDS]
    orgs[1:1] = [("本社(市区町村まで、本社判明分のうち) / municipality precision, of those located",
                  f["org_hq_municipality"], f["org_hq_any"])]
    orgs[3:3] = [("法人番号(有効) / valid 法人番号", f["org_corporate_number_valid"]),
                 ("法人番号(無効) / invalid 法人番号", f["org_corporate_number_invalid"])]
    services = [("名称あり / named", f["svc_named"])]
    services += [(f"判明 / known: {FLAG_LABELS[flag]}", f[f"svc_flag_{flag}"]) for flag in MAIN_FLAGS]
    services += [(f"9項目中{MIN_FLAGS_KNOWN}項目以上判明 / ≥{MIN_FLAGS_KNOWN} of 9 flags known", f["svc_flags_3plus"]),
                 ("料金ページ / price page", f["svc_price_url"]), ("エクスポート形式 / export formats", f["svc_export_formats"])]
    adoptions = [("年あり / with year", f["adoptions_with_year"]), ("種別あり / with a kind", f["adoptions_with_kind"]),
                 ("弱い出典 / weak source", f["adoptions_weak"])]
    return [
        _coverage("組織 / Organisations", f["organisations"], orgs),
        _coverage("サービス / Services", f["services"], services),
        _facts_by_origin(con, f),
        _by_quality(con, "事実(使用中)の出典 / Facts in use by source quality", "SELECT source_quality, count(*) FROM facts WHERE in_use GROUP BY 1"),
        _coverage("導入実績 / Adoptions", f["adoptions"], adoptions),
        Table("導入自治体 / Adopter municipalities", ("adopter municipalities", "of", "share"),
              [(f["adopter_municipalities"], f["municipalities"], pct(f["adopter_municipalities"], f["municipalities"]))]),
        _adoptions_by_kind(con, f["adoptions"]),
        _by_quality(con, "導入実績の出典 / Adoptions by source quality", "SELECT source_quality, count(*) FROM adoptions GROUP BY 1"),
        per_prefecture(con),
        _weak_domains(con),
        Table("目標 / Issue-14 targets", ("target", "measured", "met"),
              [(name, value, "✓" if met else "✗") for name, value, met in targets(f)]),
    ]


def _facts_by_origin(con: duckdb.DuckDBPyConnection, f: dict[str, int]) -> Table:
    weak = ", ".join(f"'{q}'" for q in source_quality.WEAK)
    rows = con.execute(f"""
        SELECT origin, count(*), count(*) FILTER (WHERE in_use),
               count(*) FILTER (WHERE in_use AND source_quality IN ({weak}))
        FROM facts GROUP BY origin ORDER BY count(*) DESC, origin""").fetchall()
    out = [(ORIGIN_LABELS.get(o, o), n, used, w, pct(w, used)) for o, n, used, w in rows]
    out.append(("計 / total", f["facts"], f["facts_in_use"], f["facts_in_use_weak"], pct(f["facts_in_use_weak"], f["facts_in_use"])))
    return Table("事実 / Facts by origin", ("origin", "facts", "in use", "weak, in use", "weak share"), out)


def _by_quality(con: duckdb.DuckDBPyConnection, title: str, sql: str) -> Table:
    counts = dict(con.execute(sql).fetchall())
    total = sum(counts.values())
    order = sorted(counts, key=lambda q: (source_quality.RANK.get(q, len(source_quality.RANK)), str(q)))
    rows = [(q or "(none)", f"{source_quality.label(q)} / {source_quality.label(q, 'en')}" if q else "不明 / unknown",
             "weak" if q in source_quality.WEAK else "", counts[q], pct(counts[q], total)) for q in order]
    return Table(title, ("source_quality", "label", "weak", "n", "share"), rows)


def _adoptions_by_kind(con: duckdb.DuckDBPyConnection, total: int) -> Table:
    counts = dict(con.execute("SELECT adoption_kind, count(*) FROM adoptions GROUP BY 1").fetchall())
    kinds = [*adoption_kinds.KINDS, *sorted(k for k in counts if k not in adoption_kinds.KINDS)]
    rows = [(k, adoption_kinds.label(k), "yes" if k in adoption_kinds.MARKET_KINDS else "", counts.get(k, 0), pct(counts.get(k, 0), total))
            for k in kinds]
    return Table("導入実績の種別 / Adoptions by kind", ("adoption_kind", "label", "market share", "n", "share"), rows)


def per_prefecture(con: duckdb.DuckDBPyConnection) -> Table:
    rows = con.execute("""
        WITH m AS (SELECT pref_code, count(*) AS n FROM municipalities WHERE kind <> 'ward' GROUP BY 1),
        o AS (SELECT hq_pref_code AS pref_code, count(*) AS n FROM organisations GROUP BY 1),
        a AS (SELECT adopter_pref_code AS pref_code, count(*) AS n FROM adoptions GROUP BY 1),
        am AS (SELECT mu.pref_code, count(DISTINCT coalesce(mu.parent_code, mu.code)) AS n
               FROM adoptions ad JOIN municipalities mu ON mu.code = ad.adopter_code
               WHERE ad.adopter_kind = 'municipality' GROUP BY 1)
        SELECT p.pref_code, p.pref_name || ' ' || coalesce(p.pref_name_en, ''), coalesce(o.n, 0), coalesce(a.n, 0),
               coalesce(am.n, 0), coalesce(m.n, 0)
        FROM prefectures p LEFT JOIN m USING (pref_code) LEFT JOIN o USING (pref_code)
        LEFT JOIN a USING (pref_code) LEFT JOIN am USING (pref_code)
        ORDER BY p.pref_code""").fetchall()
    out = [(code, name, orgs, ado, am, munis, pct(am, munis)) for code, name, orgs, ado, am, munis in rows]
    no_hq = _one(con, "SELECT count(*) FROM organisations WHERE hq_pref_code IS NULL")
    national = _one(con, "SELECT count(*) FROM adoptions WHERE adopter_pref_code IS NULL")
    out.append(("", "不明・国 / unknown, national", no_hq, national, "", "", ""))
    return Table("都道府県別 / Per prefecture", ("code", "prefecture", "organisations (HQ)", "adoptions",
                                                "adopter municipalities", "municipalities", "share"), out)


def _weak_domains(con: duckdb.DuckDBPyConnection) -> Table:
    counts = weak_domain_counts(con)
    rows = [(host, facts, adoptions, "/".join(sorted(q))) for host, (facts, adoptions, q) in list(counts.items())[:TOP_WEAK_DOMAINS]]
    title = f"弱い出典の上位ドメイン / Top weak-source domains ({TOP_WEAK_DOMAINS} of {len(counts)}; all: python -m etl validate --all)"
    return Table(title, ("domain", "facts in use", "adoptions", "source_quality"), rows, untrusted=(0,))


# -- rendering -----------------------------------------------------------------------------------------
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)


def text(tables: list[Table], header: str = "") -> str:
    out = [header, ""] if header else []
    for table in tables:
        cells = [list(table.columns)] + [[_cell(v) for v in row] for row in table.rows]
        widths = [max(_width(r[i]) for r in cells) for i in range(len(table.columns))]
        numeric = table.numeric()

        def line(row: list[str]) -> str:
            padded = [(" " * (w - _width(c)) + c) if num else (c + " " * (w - _width(c))) for c, w, num in zip(row, widths, numeric)]
            return "  ".join(padded).rstrip()

        out += [f"== {table.title} ==", line(cells[0]), "  ".join("-" * w for w in widths)]
        out += [line(r) for r in cells[1:]] + [""]
    return "\n".join(out)


def markdown(tables: list[Table], header: str = "") -> str:
    out = ["# データ品質レポート / Data-quality report", ""] + ([header, ""] if header else [])
    for table in tables:
        def esc(i: int, v: object) -> str:
            if i not in table.untrusted:
                return _cell(v).replace("|", "\\|")
            return f"`{v}`" if _HOST.fullmatch(str(v)) else escape.markdown_text(v)

        align = "|" + "".join("---:|" if num else "---|" for num in table.numeric())
        out += [f"## {table.title}", "", "| " + " | ".join(table.columns) + " |", align]
        out += ["| " + " | ".join(esc(i, v) for i, v in enumerate(row)) + " |" for row in table.rows] + [""]
    return "\n".join(out)


def header(con: duckdb.DuckDBPyConnection, path: Path) -> str:
    meta = dict(con.execute("SELECT key, value FROM catalog_meta").fetchall())
    synthetic = " — SYNTHETIC catalog (benchmarks only)" if meta.get("synthetic") == "true" else ""
    return f"catalog: {path} (built {meta.get('built_at', '?')}){synthetic}"


def main(args) -> int:
    path = Path(args.catalog or settings.path("catalog_path"))
    if not path.exists():
        print(f"no catalog at {path}: run python -m etl build first", file=sys.stderr)
        return 1
    con = duckdb.connect(str(path), read_only=True)
    try:
        found, top = tables(con), header(con, path)
    finally:
        con.close()
    print(text(found, top))
    if args.markdown:
        Path(args.markdown).write_text(markdown(found, top), encoding="utf-8")
        print(f"written: {args.markdown}")
    return 0
