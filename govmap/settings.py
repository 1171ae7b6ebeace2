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
    Setting("research_dir", str(ROOT / "data" / "research"),
            "Folder of researched slices (organisations, services, facts, adoptions; data/research/README.md)."),
    Setting("corrections_dir", str(ROOT / "data" / "corrections"),
            "Corrections found in review, each with its source (data/corrections/README.md)."),
    Setting("gazetteer_dir", str(ROOT / "data" / "gazetteer"),
            "Folder with the derived gazetteer Parquet files."),
    Setting("store_path", str(ROOT / "data" / "store" / "submissions.sqlite"),
            "SQLite (WAL) store for vendor submissions, reviewer lockouts and the audit log."),
    Setting("store_url", "",
            "PostgreSQL URL (postgresql://user@host:5432/db) of the store instead of the SQLite file, for several "
            "app processes behind a load balancer (docs/deploy.md). Empty: the SQLite file store_path."),
    Setting("max_returned_rows", 1000,
            "Row cap of the one catalog query function and the SQL console; more rows are reported as truncated."),
    Setting("sql_time_limit_ms", 3000,
            "Time limit of one catalog query (SQL console included); the query is interrupted after it."),
    Setting("sql_memory_limit", "512MB",
            "DuckDB memory limit of the read-only catalog connection used by the SQL console."),
    Setting("sql_threads", 2, "DuckDB threads for the read-only catalog connection."),
    Setting("sql_process_memory_limit", "1GB",
            "OS memory limit (address space, RLIMIT_AS) a SQL console worker process may add to its start-up size; "
            "it stops even a single huge value that DuckDB's own memory limit does not see."),
    Setting("sql_max_result_bytes", 16_000_000,
            "Largest SQL console result (Arrow bytes) sent back to the page; a larger one is refused with a message."),
    Setting("sql_workers", 2,
            "SQL console queries that run at the same time, one worker process each; others wait (up to the time "
            "limit + 10 s), then get a 'busy' message."),
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
    Setting("trusted_proxy_header", "",
            "Header in which the reverse proxy in front of the app reports the client address (e.g. "
            "`X-Forwarded-For`). Empty: use the address of the direct peer. Set it only when every request "
            "passes through that proxy, or a client can choose its own address."),
    Setting("trusted_proxy_hops", 1,
            "How many proxies in front of the app append to `trusted_proxy_header`: the client address is "
            "the N-th entry from the right (1 = the entry your one proxy added)."),
    Setting("submit_rate_window_seconds", 3600,
            "Window of the per-session, per-address and per-receipt limits below, and of failed edit-token checks."),
    Setting("submit_session_limit", 5,
            "Submissions and revisions one browser session may send per window."),
    Setting("submit_address_limit", 10,
            "Submissions and revisions one client address (an IPv6 /64) may send per window; new sessions "
            "from the same address share it."),
    Setting("submit_receipt_limit", 10,
            "Revisions allowed per receipt number per window (only its edit-token holder can use them)."),
    Setting("submit_global_limit", 300,
            "Last-resort cap on submissions and revisions from everyone together per `submit_global_window_seconds`; "
            "well before it, the proof-of-work difficulty rises instead of refusing anyone."),
    Setting("submit_global_window_seconds", 600,
            "Window of the global cap and of the load that raises the proof-of-work difficulty (short, so a "
            "flood that stops stops affecting vendors within minutes)."),
    Setting("submit_pow_bits", 18,
            "Proof of work the browser solves while the form is filled: SHA-256 of challenge:nonce with this "
            "many leading zero bits (18: 2–5 s of background work in headless Chromium on a busy 2-core machine)."),
    Setting("submit_pow_max_bits", 22,
            "Highest proof-of-work difficulty under load (22: 16 times the work of 18, up to about a minute "
            "of background work in a slow browser, while the form takes longer to fill in)."),
    Setting("submit_pow_load_step", 50,
            "Every this many submissions and revisions from everyone in the global window add 2 bits of "
            "proof-of-work difficulty (up to `submit_pow_max_bits`)."),
    Setting("submit_challenge_seconds", 7200,
            "A proof-of-work challenge expires this long after the form was shown; each is single-use."),
    Setting("lookup_failures_per_address", 5,
            "Failed edit-token checks for one receipt from one client address per window; then that address "
            "(not the receipt's owner elsewhere) is refused for that receipt until the window frees up."),
    Setting("lookup_receipt_ceiling", 50,
            "Failed edit-token checks for one receipt from all unfamiliar addresses per window after which "
            "they are slowed with an exponential backoff (the address it was submitted or looked up from is not)."),
    Setting("max_services_per_submission", 10, "Services one submission may list."),
    Setting("max_categories_per_service", 5,
            "Taxonomy categories one service may claim (stops keyword stuffing)."),
    Setting("max_adoptions_per_submission", 30, "Adoptions one submission may cite."),
    Setting("reviewer_lockout_failures", 5,
            "Failed reviewer logins for one account from one client address after which that address is "
            "locked out of that account (right password included); counted before the password is checked."),
    Setting("reviewer_lockout_seconds", 900,
            "How long such a lockout lasts; failures older than this are forgotten."),
    Setting("reviewer_account_ceiling", 20,
            "Failed logins for one account from all addresses where it never logged in, per "
            "`reviewer_lockout_seconds`, after which such addresses are slowed with an exponential backoff; "
            "addresses it logged in from before are not."),
    Setting("failure_backoff_max_seconds", 300,
            "Longest wait of the exponential backoff after a per-account or per-receipt failure ceiling."),
    Setting("reviewer_session_seconds", 28800,
            "A local reviewer login lasts this long; then the reviewer must log in again."),
    Setting("publish_timeout_seconds", 300,
            "A publish (catalog rebuild after an approval) running longer than this is stopped."),
    Setting("publish_check_seconds", 30,
            "How often (at most) a page run checks for unfinished publishes (an app or build that died) and resumes them."),
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
