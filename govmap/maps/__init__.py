"""The offline map: markers, aggregation, popups, bundled assets and their messages."""
