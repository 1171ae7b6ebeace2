"""The vendor page's sourced facts (issue 14): every fact in use about an organisation and its
services (v_fact_sources) with its source, as-of date and source quality, and each service's
exit / lock-in profile with the source of every item that has one.

Values are vendor or research text: ``st.dataframe`` cells are plain text, the printable view
(ui.printing.grid) escapes every cell for Markdown, and links are only ever made from http(s) URLs
(escape.safe_url).  A flag is shown as yes or no only where a source says so; an item without a
fact is unknown (不明), never no.
"""

from __future__ import annotations

import pandas as pd

from govmap import escape, i18n  # noqa: F401  (buyer_messages: the fact.* messages)
from govmap.finder import buyer_messages, openness
from govmap.finder.fact_fields import FLAG_FIELDS
from ui import buyer

BOOLEAN_FIELDS = frozenset(FLAG_FIELDS)


def field_label(field: str, lang: str) -> str:
    """The label of a fact field in ``lang``; an unknown field shows its code (never a crash)."""
    key = f"fact.field.{field}"
    return i18n.t(key, lang) if key in i18n.MESSAGES else str(field)


def value_label(field: str, value: object, lang: str) -> str:
    """A fact's value as shown: flags as yes / no (a source said so), other values as written."""
    if field in BOOLEAN_FIELDS:
        if value == "true":
            return i18n.t("common.yes", lang)
        if value == "false":
            return i18n.t("common.no", lang)
    return escape.plain(value)


def service_title(service: dict, lang: str) -> str:
    """A service's name as the page shows it ("サービス" / "Service" when no source names it)."""
    names = [service.get("name_ja"), service.get("name_en")]
    if lang != "ja":
        names.reverse()
    return next((n for n in names if isinstance(n, str) and n.strip()), i18n.t("vendor.service", lang))


def facts_frame(facts: pd.DataFrame, services: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The sourced-facts table: about (the organisation or a service), item, value, source, as of,
    source type (weak sources say so)."""
    titles = {s["service_id"]: service_title(s, lang) for s in services.to_dict("records")}
    t = lambda key, **v: i18n.t(key, lang, **v)  # noqa: E731
    about = []
    for kind, entity, derived in zip(facts["entity_kind"], facts["entity_id"], facts["derived_from"]):
        if kind == "organisation":
            about.append(t("fact.entity.organisation"))
            continue
        name = titles.get(entity, t("vendor.service"))
        about.append(t("fact.derived", name=name) if derived == "organisation" else name)
    return pd.DataFrame({
        t("fact.col.entity"): about,
        t("fact.col.field"): [field_label(f, lang) for f in facts["field"]],
        t("fact.col.value"): [value_label(f, v, lang) for f, v in zip(facts["field"], facts["value"])],
        t("fact.col.as_of"): [escape.plain(a) if isinstance(a, str) and a else t("common.unknown") for a in facts["as_of"]],
        t("fact.col.quality"): [buyer.quality_label(q, lang) for q in facts["source_quality"]],
        # The source last, as in every table of the page: a URL wrapped in a printed cell stays in one piece.
        t("col.source"): [escape.safe_url(u) for u in facts["source_url"]],
    })


def service_facts(facts: pd.DataFrame, service_id: str) -> dict[str, dict]:
    """field → the fact in use for one service."""
    mine = facts[facts["entity_kind"].eq("service") & facts["entity_id"].eq(service_id)]
    return {f["field"]: f for f in mine.to_dict("records")}


def profile_frame(service: dict, facts: dict[str, dict], lang: str) -> pd.DataFrame:
    """The exit / lock-in profile of one service (govmap.finder.openness, plus whether it is open source),
    each item with the source and as-of date of its fact where there is one."""
    table = openness.profile_table(service, lang)
    is_oss = openness.Item("is_oss", "bool", "", "", "", "")
    table.loc[len(table)] = [field_label("is_oss", lang), openness.value_label(is_oss, _flag(service.get("is_oss")), lang),
                             i18n.t("fact.why.is_oss", lang)]
    columns = [i.column for i in openness.ITEMS] + ["is_oss"]
    found = [facts.get(c) or {} for c in columns]
    t = lambda key: i18n.t(key, lang)  # noqa: E731
    table.columns = [t("vendor.profile.item"), t("vendor.profile.value"), t("vendor.profile.why")]
    table[t("fact.col.as_of")] = [escape.plain(f.get("as_of")) if f else "" for f in found]
    table[t("col.source")] = [escape.safe_url(f.get("source_url")) for f in found]
    return table


def unknown_count(table: pd.DataFrame, lang: str) -> int:
    """Items of a profile shown as unknown (the caption counts exactly the rows shown as 不明)."""
    unknown = openness.value_label(openness.ITEMS[0], None, lang)
    return int((table[i18n.t("vendor.profile.value", lang)] == unknown).sum())


def _flag(value: object):
    """A flag column value as True, False or None (pandas gives NA for unknown booleans)."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return bool(value)
