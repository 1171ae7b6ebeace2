"""The search page builds its map only when the map's inputs change (ui/searchmap.py), and what it
sends is what st_folium itself would send for that map (docs/benchmarks.md, "Cheap updates")."""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
FOLIUM_ID = re.compile(r"_[0-9a-f]{32}")  # folium's random element ids, new on every build


def map_args(at: AppTest) -> dict:
    [component] = at.get("component_instance")
    assert component.proto.component_name == "streamlit_folium.st_folium"
    return json.loads(component.proto.json_args)


def same_map_script() -> None:
    """One map through st_folium itself and, built again from the same inputs, through ui.searchmap."""
    import pandas as pd
    from streamlit_folium import st_folium

    from govmap.maps import mapview
    from ui import searchmap
    orgs = pd.DataFrame({"org_id": ["a1", "b2"], "name_ja": ["株式会社エー", "ビー合同会社"], "name_en": ["A", None],
                         "org_type": ["startup", "sme"], "hq_pref_name": ["東京都", "福岡県"],
                         "hq_municipality_name": ["渋谷区", "福岡市"], "hq_municipality_code": ["13113", "40130"],
                         "lat": [35.66, 33.59], "lon": [139.70, 130.40], "located": [True, True],
                         "website": ["https://a.example", None], "categories": [["gis"], ["online_forms", "gis"]],
                         "hq_label": ["東京都渋谷区", "福岡県福岡市"]})

    def build():
        return mapview.build_map(orgs, None, layer="orgs", lang="ja", category_labels={"gis": "GIS"},
                                 marker_limit=2000, tiles="none")
    st_folium(build(), key="map", height=520, use_container_width=True, returned_objects=["last_object_clicked_popup"])
    searchmap.show(searchmap.inputs_key("same_map_script"), build, key="map2", height=520,
                   returned_objects=["last_object_clicked_popup"])


def normalised(args: dict) -> dict:
    return json.loads(FOLIUM_ID.sub("_ID", json.dumps(args, sort_keys=True)))


def test_searchmap_sends_what_st_folium_sends_for_the_same_map():
    at = AppTest.from_function(same_map_script, default_timeout=60).run()
    assert not at.exception, at.exception
    theirs, ours = [json.loads(c.proto.json_args) for c in at.get("component_instance")]
    from streamlit_folium import generate_js_hash
    assert theirs.pop("key") == generate_js_hash(theirs["script"], "map", False)
    assert ours.pop("key") == generate_js_hash(ours["script"], "map2", False)  # keyed as st_folium keys it
    assert normalised(ours) == normalised(theirs)
    assert len(ours["script"]) > 1000 and "L.map" in ours["script"]


def test_the_map_is_built_only_when_its_inputs_change(catalog_env):
    from ui import searchmap
    searchmap._cached_args.clear()
    at = AppTest.from_file(str(ROOT / "pages" / "search.py"), default_timeout=60)
    built = searchmap.builds
    at.run()
    first = map_args(at)
    at.multiselect(key="f_flags").select("has_api").run()  # a facet that changes the rows
    changed = map_args(at)
    at.multiselect(key="f_flags").unselect("has_api").run()  # back to the first result set
    again = map_args(at)
    assert not at.exception, at.exception
    at.text_input(key="q").input(" ").run()  # an update that changes nothing the map shows
    unchanged = map_args(at)
    at.multiselect(key="f_flags").select("has_api").run()
    assert not at.exception, at.exception
    assert again == first == unchanged and map_args(at) == changed, "the same inputs give the identical message"
    assert normalised(changed) != normalised(first), "other rows, another map"
    assert searchmap.builds - built == 2, "built for the first result set and for the other one only"


def test_the_cached_map_is_the_map_a_fresh_build_gives(catalog_env):
    """Cache hits show the same map a rebuild would: compare with the cache cleared."""
    from ui import searchmap
    at = AppTest.from_file(str(ROOT / "pages" / "search.py"), default_timeout=60)
    at.query_params["q"] = "地図"
    at.query_params["layer"] = "adoptions"
    at.run()
    cached = map_args(at.run())
    searchmap._cached_args.clear()
    fresh = map_args(at.run())
    assert not at.exception, at.exception
    assert normalised(cached) == normalised(fresh)
