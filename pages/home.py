"""概要: what the catalog holds, in figures."""

import streamlit as st

from govmap import escape
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
st.bar_chart(by_category, x="category", y="organisations", horizontal=True, height=560)
st.info(context.t("home.start"))
