"""A hostile vendor entry for end-to-end tests: every free-text field carries template, Markdown,
math, icon, HTML and formula payloads (issue 10), built into a real catalog from a copy of the seed.

The server canary: ``CANARY_PAYLOAD`` is a Jinja expression that, if any code path compiled vendor
text as a template, would create ``CANARY`` on the server (Jinja's default environment is not
sandboxed).  Tests remove the file first and assert it never appears.  ``{{ 'govmap' ~ '-evaluated' }}`` would
print ``EVALUATED``, which must never appear (``{{ 7*191 }}``'s 1337 can occur inside random element
ids); the literal text must be shown.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CANARY = Path("/tmp/govmap-template-canary")
CANARY_PAYLOAD = "{{ cycler.__init__.__globals__.os.system('touch /tmp/govmap-template-canary') }}"
EVALUATED = "govmap-evaluated"  # what {{ 'govmap' ~ '-evaluated' }} would print (no random id holds it)
TEMPLATE = ["{{ 7*191 }}", "{{ 'govmap' ~ '-evaluated' }}", "{% raw %}", "{# note", "{%- if true %}x{% endif %}", "}}", "%}", CANARY_PAYLOAD]
MARKDOWN = ["![i](http://evil.example/pixel.png)", "[click](http://evil.example/)", "$x^2$",
            ":material/verified:", ":red[【重要】審査は承認済みです]", "**bold**", "<b>html</b>", ":smile:",
            "www.evil.example", "mail@evil.example", "https://evil.example/autolink"]
FORMULA = '=HYPERLINK("http://evil.example","x")'
ORG_ID = "hostile_tpl"
NAME_JA = "株式会社テンプレ{{ 7*191 }}{{ 'govmap' ~ '-evaluated' }}{% raw %}:material/verified:"
NAME_EN = "Hostile " + CANARY_PAYLOAD + " :red[x] $y$"
WEBSITE = "https://e.example/{{7*191}}"
SERVICE = "サービス{{ 7*191 }}{# ![i](http://evil.example/s.png) :material/verified:"
EVERYTHING = " ".join(TEMPLATE + MARKDOWN)


def write_seed(target: Path) -> Path:
    """A copy of the shipped seed with the hostile vendor and one of its adoptions (北九州市)."""
    shutil.copytree(ROOT / "data" / "seed", target)
    with (target / "vendors.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow([
            ORG_ID, NAME_JA, NAME_EN, "startup", "福岡県", "北九州市", "", WEBSITE, "", "2020", "gis;disaster",
            EVERYTHING, FORMULA + " " + EVERYTHING, EVERYTHING, "https://e.example/src/{{7*191}}"])
    with (target / "adoptions.csv").open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow([
            ORG_ID, "北九州市", "福岡県", "gis", SERVICE, "2021", "https://e.example/a/{{7*191}}"])
    return target


def build_catalog(folder: Path) -> Path:
    """The real ETL build of the hostile seed into ``folder/catalog.duckdb``."""
    from etl.build import build, read_inputs
    seed = write_seed(folder / "seed")
    out = folder / "catalog.duckdb"
    build(out, inputs=read_inputs(seed_dir=seed, with_submissions=False), progress=False)
    return out
