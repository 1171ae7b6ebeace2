"""Analytics: market concentration (HHI), alternatives, near-me and their maps."""
