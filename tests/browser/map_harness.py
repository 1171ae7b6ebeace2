"""A tiny Streamlit app for the browser test: the real map builder, the real st_folium, hostile
vendor text.  tests/browser/test_map_browser.py copies this file as the entry point of a
throw-away app folder (with a copy of static/ and .streamlit/config.toml) and runs it with
`streamlit run`.  Importable without Streamlit running (the test reads HOSTILE and ORGS from it).
"""

from __future__ import annotations

# Every way vendor text has broken out of folium popups here (FIELD-NOTES "Vendor text in folium
# is not escaped"): HTML, template-literal substitution, backticks, \u escapes, backslash-backtick.
HOSTILE_NAME = "<script>alert(1)</script>${alert(1)}"
HOSTILE_NAME_EN = "`+alert(1)+`"
HOSTILE_HQ = "\\u003cimg src=x onerror=alert(1)\\u003e \\` <img src=x onerror=alert(1)>"
HOSTILE_WEBSITE = "javascript:alert(1)"
HOSTILE_ID = "hostile_vendor"
HOSTILE_STRINGS = ("<script>alert(1)</script>", "${alert(1)}", "`+alert(1)+`",
                   "\\u003cimg src=x onerror=alert(1)\\u003e", "\\`", "<img src=x onerror=alert(1)>",
                   "javascript:alert(1)")

# (org_id, name_ja, name_en, org_type, lat, lon, categories, website, hq_label)
ORGS = [
    ("graffer", "株式会社グラファー", "Graffer, Inc.", "startup", 35.6640, 139.6982,
     ["online_forms", "identity_security"], "https://graffer.jp", "東京都渋谷区"),
    ("playnext_lab", "プレイネクストラボ株式会社", "PlayNext Lab Inc.", "sme", 35.6092, 139.7302,
     ["messaging"], "https://www.playnext-lab.co.jp", "東京都品川区"),
    ("code_for_japan", "一般社団法人コード・フォー・ジャパン", "Code for Japan", "nonprofit", 35.6940, 139.7536,
     ["consulting_training"], "https://www.code4japan.org", "東京都千代田区"),
    ("sapporo_demo", "札幌デモ株式会社", "", "sme", 43.0621, 141.3544, ["gis"], "", "北海道札幌市"),
    ("ishigaki_demo", "石垣デモ株式会社", "Ishigaki Demo K.K.", "sme", 24.3448, 124.1572, ["tourism_furusato"], "",
     "沖縄県石垣市"),
    (HOSTILE_ID, HOSTILE_NAME, HOSTILE_NAME_EN, "sme", 33.5902, 130.4017, ["disaster"], HOSTILE_WEBSITE,
     HOSTILE_HQ),
]


def orgs_frame():
    import pandas as pd
    columns = ["org_id", "name_ja", "name_en", "org_type", "lat", "lon", "categories", "website", "hq_label"]
    return pd.DataFrame(ORGS, columns=columns)


def adoptions_frame():
    import pandas as pd
    return pd.DataFrame([{"adopter_code": "401307", "adopter_name": "福岡市", "lat": 33.5902, "lon": 130.4017,
                          "n_adoptions": 2, "n_vendors": 2, "vendors": [HOSTILE_NAME, "株式会社グラファー"]}])


def main() -> None:
    import json

    import streamlit as st
    from streamlit_folium import st_folium

    from govmap.maps import mapview

    st.set_page_config(page_title="map harness", layout="wide")
    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    lang = "en" if st.query_params.get("lang") == "en" else "ja"
    fmap = mapview.build_map(orgs_frame(), adoptions_frame(), layer="orgs", lang=lang, tiles="none",
                             marker_limit=2000, category_labels={"disaster": "防災・危機管理", "gis": "GIS・地図"})
    returned = st_folium(fmap, key="map", height=560, width=900, returned_objects=["last_object_clicked_popup"])
    st.text(f"selected: {mapview.selected_org_id(returned)}")
    st.text("returned: " + json.dumps(returned, ensure_ascii=False))
    st.text(f"script runs: {st.session_state['runs']}")


if __name__ == "__main__":
    main()
