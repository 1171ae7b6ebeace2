"""The vocabulary of buyer facts (table ``facts``, data/research/README.md): which fields a fact can
be about, which are flags (true / false, NULL when unknown) and which hold addresses.  The ETL checks
and applies facts with it (etl/research.py, etl/facts.py); the vendor page shows them with it
(ui/vendorfacts.py)."""

from __future__ import annotations

FLAG_FIELDS = ("standard_compliant", "lgwan_asp", "ismap", "ismap_liu", "isms", "privacy_mark", "dmp_listed",
               "data_in_japan", "has_api", "open_export", "is_oss")
# The nine flags a buyer checks (issue 14): ISMAP counts once whether ISMAP or ISMAP-LIU.
MAIN_FLAGS = ("standard_compliant", "lgwan_asp", "ismap", "isms", "privacy_mark", "dmp_listed", "data_in_japan",
              "has_api", "open_export")
SERVICE_TEXT_FIELDS = ("export_formats", "price_url", "price_band", "api_docs_url", "contact_url")
URL_FIELDS = frozenset({"website", "contact_url", "price_url", "api_docs_url"})
ORG_FIELDS = frozenset({"hq_address", "hq_postal_code", "corporate_number", "website", "contact_url", "legal_name",
                        "trade_name", "isms", "privacy_mark", "ismap", "ismap_liu", "lgwan_asp", "dmp_listed"})
SERVICE_FIELDS = frozenset({"product_name", *FLAG_FIELDS, *SERVICE_TEXT_FIELDS})
