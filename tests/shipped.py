"""Figures of the shipped catalog, computed from the shipped inputs by the real ETL (not written
down: they grow as research lands in data/research)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=None)
def figures() -> dict[str, int]:
    from etl.build import read_inputs, tables_from
    tables = tables_from(read_inputs(with_submissions=False))
    orgs = tables["organisations"]
    return {"organisations": len(orgs), "seed_organisations": int((orgs["origin"] == "seed").sum()),
            "adoptions": len(tables["adoptions"]), "categories": len(tables["categories"])}


def organisations() -> int:
    return figures()["organisations"]
