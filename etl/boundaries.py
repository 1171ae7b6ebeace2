"""Municipal boundaries for the 基幹業務・標準化 choropleth: `python -m etl boundaries`.

Reads the bundled TopoJSON (国土数値情報 行政区域 N03, 2021-01-01, designated-city wards merged into
their city; data/boundaries/SOURCES.md) and writes ``static/boundaries/municipalities.json``: a
compact GeoJSON, one feature per municipality of the gazetteer (6-digit code with check digit), with
coordinates rounded to ``decimals`` (3 ≈ 100 m) and consecutive duplicate points dropped.  Streamlit
serves it at ``/app/static/boundaries/municipalities.json``; the map fetches it once (the browser
caches it) and each rerun sends only the values per code (govmap/coresystems/std_map.py).

The codes are checked against the gazetteer's 1,741 municipalities (cities incl. designated cities,
Tokyo's special wards, towns and villages): ``code_report`` lists boundaries without a municipality
(the six 北方領土 villages, 所属未定地) and municipalities without a boundary (a merger or new code
after 2021-01-01 would show here).  Runs once at prep time; nothing reads TopoJSON at run time.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pandas as pd

from govmap import settings

ROOT = settings.ROOT
TOPOJSON = ROOT / "data" / "boundaries" / "municipalities-designated-city-N03-21-s0001.topojson"
OUT = ROOT / "static" / "boundaries" / "municipalities.json"
GAZETTEER = ROOT / "data" / "gazetteer" / "municipalities.parquet"
PAYLOAD_BUDGET = 3_000_000  # docs/benchmarks.md: map payload ≤ 3 MB


def _arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat of every arc (TopoJSON delta-encoded, quantised with ``transform``)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        out.append(points)
    return out


def _ring(indices: list[int], arcs: list, decimals: int) -> list[list[float]]:
    points: list[list[float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        for i, (lon, lat) in enumerate(arc):
            if points and i == 0:
                continue  # an arc starts where the previous one ended
            point = [round(lon, decimals), round(lat, decimals)]
            if not points or points[-1] != point:
                points.append(point)
    if points and points[0] != points[-1]:
        points.append(points[0])
    return points


def _polygons(geometry: dict, arcs: list, decimals: int) -> list:
    parts = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    polygons = []
    for polygon in parts:
        rings = [_ring(r, arcs, decimals) for r in polygon]
        rings = [r for r in rings if len(r) >= 4]  # a ring rounded to a point or a line is dropped
        if rings:
            polygons.append(rings)
    return polygons


def municipal_geojson(municipalities: pd.DataFrame, decimals: int = 3, topojson: Path = TOPOJSON) -> tuple[dict, dict]:
    """(GeoJSON keyed by the gazetteer's 6-digit code, code report)."""
    topo = json.loads(topojson.read_text(encoding="utf-8"))
    arcs = _arcs(topo)
    geometries = next(iter(topo["objects"].values()))["geometries"]
    base = municipalities[municipalities["kind"] != "ward"]
    by5 = dict(zip(base["code"].str[:5], base["code"]))
    polygons: dict[str, list] = {}  # a code may have several geometries (islands listed apart)
    unmatched = []
    for g in geometries:
        p = g.get("properties") or {}
        code = by5.get(p.get("N03_007") or "")
        if code is None:
            unmatched.append({"n03_007": p.get("N03_007"), "name": "".join(p.get(k) or "" for k in ("N03_001", "N03_003", "N03_004"))})
            continue
        if g.get("arcs"):  # the source's simplification left some small islands with no geometry
            polygons.setdefault(code, []).extend(_polygons(g, arcs, decimals))
    features = [{"type": "Feature", "properties": {"code": code}, "geometry": {"type": "MultiPolygon", "coordinates": parts}}
                for code, parts in sorted(polygons.items()) if parts]
    seen = {f["properties"]["code"] for f in features}
    # Municipalities with no polygon left are drawn as a point at the gazetteer's representative point.
    missing = base[~base["code"].isin(seen)][["code", "pref_name", "name_ja", "lat", "lon"]].to_dict("records")
    features += [{"type": "Feature", "properties": {"code": m["code"]},
                  "geometry": {"type": "Point", "coordinates": [round(m["lon"], decimals), round(m["lat"], decimals)]}}
                 for m in missing]
    report = {"boundaries": len(geometries), "features": len(features), "polygons": len(seen), "municipalities": len(base),
              "boundaries_without_municipality": unmatched, "municipalities_without_boundary": missing}
    return {"type": "FeatureCollection", "features": features}, report


def build(out: Path = OUT, decimals: int = 3) -> tuple[Path, dict]:
    data, report = municipal_geojson(pd.read_parquet(GAZETTEER), decimals)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    os.replace(tmp, out)
    report["bytes"] = out.stat().st_size
    return out, report


def main(argv: list[str] | None = None) -> int:
    out, report = build()
    print(f"written: {out.relative_to(ROOT)} ({report['bytes']:,} bytes; budget {PAYLOAD_BUDGET:,})")
    print(f"{report['polygons']} of {report['municipalities']} municipalities have a polygon "
          f"({report['boundaries']} polygons in the source)")
    for row in report["boundaries_without_municipality"]:
        print(f"  boundary without a municipality (not drawn): {row['n03_007']} {row['name']}")
    for row in report["municipalities_without_boundary"]:
        print(f"  municipality without a polygon (drawn as a point): {row['code']} {row['pref_name']}{row['name_ja']}")
    return 0 if report["bytes"] <= PAYLOAD_BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
