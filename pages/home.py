"""概要: what the catalog holds, in figures."""

import streamlit as st

from govmap import escape  # noqa: F401 (registers the chart axis titles)
from govmap.maps import map_messages
from ui import context

cat = context.require_catalog()
st.title(context.t("app.title"))
st.write(escape.markdown_text(context.t("app.tagline")))
st.subheader(context.t("home.figures"))
figures = cat.figures()
cols = st.columns(5)
for col, key in zip(cols, ("organisations", "located", "adoptions", "adopters", "categories_used")):
    label = context.t(f"fig.{key}" if key != "categories_used" else "fig.categories")
    col.metric(label, f"{figures[key]:,}")
label_col = "label_ja" if context.lang() == "ja" else "label_en"
by_category = cat.frame(f"""
    SELECT c.{label_col} AS category, count(DISTINCT s.org_id) AS organisations
    FROM categories c LEFT JOIN service_categories sc ON sc.category = c.code
    LEFT JOIN services s USING (service_id)
    GROUP BY c.{label_col}, c.sort_order ORDER BY c.sort_order""")
st.subheader(context.t("home.by_category"))
# Axis titles in the page's language; category labels never cut off (Vega-Lite's labelLimit 0).
axis = {"category": context.t("home.axis.category"), "organisations": context.t("home.axis.organisations")}
st.vega_lite_chart(by_category, {
    "mark": {"type": "bar", "tooltip": True},
    "height": 560,
    "encoding": {
        "y": {"field": "category", "type": "nominal", "sort": None, "title": axis["category"],
              "axis": {"labelLimit": 0, "labelFontSize": 12}},
        "x": {"field": "organisations", "type": "quantitative", "title": axis["organisations"],
              "axis": {"tickMinStep": 1}},
        "tooltip": [{"field": "category", "title": axis["category"]},
                    {"field": "organisations", "title": axis["organisations"]}],
    },
}, width="stretch")
st.info(context.t("home.start"))
