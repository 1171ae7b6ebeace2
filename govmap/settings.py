"""The one settings registry.

Each setting has a name, a default and a help text.  Values come from, in order: an environment
variable ``GOVMAP_<NAME>`` (upper case), then the default.  ``docs/settings.md`` is generated from
this registry and a test fails when it is stale (``python -m etl docs``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str

    @property
    def env_var(self) -> str:
        return "GOVMAP_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("catalog_path", str(ROOT / "data" / "catalog.duckdb"),
            "DuckDB catalog file the app and analysts read (built by `python -m etl build`)."),
    Setting("seed_dir", str(ROOT / "data" / "seed"),
            "Folder with the shipped real seed data (vendors.csv, adoptions.csv)."),
    Setting("gazetteer_dir", str(ROOT / "data" / "gazetteer"),
            "Folder with the derived gazetteer Parquet files."),
    Setting("store_path", str(ROOT / "data" / "store" / "submissions.sqlite"),
            "SQLite (WAL) store for vendor submissions, reviewer lockouts and the audit log."),
    Setting("max_returned_rows", 1000,
            "Row cap of the one catalog query function and the SQL console; more rows are reported as truncated."),
    Setting("sql_time_limit_ms", 3000,
            "Time limit of one catalog query (SQL console included); the query is interrupted after it."),
    Setting("sql_memory_limit", "512MB",
            "DuckDB memory limit of the read-only catalog connection used by the SQL console."),
    Setting("sql_threads", 2, "DuckDB threads for the read-only catalog connection."),
    Setting("map_marker_limit", 2000,
            "Largest number of organisations drawn as individual markers; above it the map aggregates per municipality."),
    Setting("map_tiles", "none",
            "Base tiles: 'none' (bundled prefecture boundaries only, works offline), 'gsi' (国土地理院 地理院タイル) or 'osm'."),
    Setting("search_result_limit", 200,
            "Rows shown in the result list at once; the map, the facet counts and exports always use every match."),
    Setting("fuzzy_score_cutoff", 72, "rapidfuzz score (0–100) below which a fuzzy name match is ignored."),
    Setting("duplicate_score_cutoff", 90,
            "rapidfuzz score (0–100) at or above which two organisation names are reported as likely duplicates."),
    Setting("catalog_check_seconds", 5,
            "How often the app checks whether a new catalog file has been swapped in."),
    Setting("submit_min_fill_seconds", 5,
            "Submissions sent sooner than this after the form was first shown are refused (anti-automation)."),
    Setting("submit_rate_window_seconds", 3600, "Window of the submission rate limits below."),
    Setting("submit_session_limit", 5,
            "Submissions and revisions one browser session may send per window."),
    Setting("submit_receipt_limit", 10,
            "Revisions, and failed edit-token checks, allowed per receipt number per window."),
    Setting("submit_global_limit", 300,
            "New submissions accepted from everyone together per window (caps a flood from many sessions)."),
    Setting("max_services_per_submission", 10, "Services one submission may list."),
    Setting("max_categories_per_service", 5,
            "Taxonomy categories one service may claim (stops keyword stuffing)."),
    Setting("max_adoptions_per_submission", 30, "Adoptions one submission may cite."),
    Setting("reviewer_lockout_failures", 5,
            "Failed reviewer logins in a row after which the account is locked."),
    Setting("reviewer_lockout_seconds", 900, "How long a locked reviewer account stays locked."),
    Setting("reviewer_session_seconds", 28800,
            "A local reviewer login lasts this long; then the reviewer must log in again."),
    Setting("publish_timeout_seconds", 300,
            "A publish (catalog rebuild after an approval) running longer than this is stopped."),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str):
    """The value of a setting, converted to the type of its default."""
    setting = _BY_NAME[name]
    raw = os.environ.get(setting.env_var)
    if raw is None:
        return setting.default
    if isinstance(setting.default, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(setting.default, int):
        return int(raw.strip())
    return raw


def path(name: str) -> Path:
    return Path(str(get(name)))


def settings_markdown() -> str:
    """docs/settings.md, generated from the registry."""
    lines = [
        "# Settings",
        "",
        "Generated from `govmap/settings.py` by `python -m etl docs`; do not edit by hand.",
        "Set any of them with an environment variable, e.g. `GOVMAP_MAP_TILES=gsi make run`.",
        "",
        "| setting | environment variable | default | what it does |",
        "|---|---|---|---|",
    ]
    for s in SETTINGS:
        default = str(s.default).replace(str(ROOT) + "/", "")
        lines.append(f"| `{s.name}` | `{s.env_var}` | `{default}` | {s.help} |")
    return "\n".join(lines) + "\n"
