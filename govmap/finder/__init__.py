"""Catalog and search: the read-only catalog connection, search, facets, browsing, comparison, exports, the SQL console and the buyer messages."""
