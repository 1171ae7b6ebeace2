"""Core systems (標準化): the 20 業務, conformant packages, migration progress and the choropleth."""
