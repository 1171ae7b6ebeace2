"""Generated docs stay in step with the code: every table, view and column has a COMMENT, and
docs/schema.md and docs/settings.md equal what `python -m etl docs` would write."""

from pathlib import Path

from etl.docs import empty_catalog, schema_markdown, schema_objects
from govmap import settings

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_table_view_and_column_has_a_comment():
    missing = []
    for obj in schema_objects(empty_catalog()):
        if not obj["comment"]:
            missing.append(obj["name"])
        missing += [f"{obj['name']}.{name}" for name, _, comment in obj["columns"] if not comment]
    assert missing == []


def test_schema_doc_is_current():
    assert (DOCS / "schema.md").read_text(encoding="utf-8") == schema_markdown(), "run: python -m etl docs"


def test_settings_are_documented():
    assert (DOCS / "settings.md").read_text(encoding="utf-8") == settings.settings_markdown(), "run: python -m etl docs"
