"""Dashboards for team leaders and managers: where work arrives, finishes and gets stuck.

Figures are aggregated in the database from the case rows (figures.py), drawn server-side as
SVG (svg.py) beside the same numbers as a table, and exported as CSV (export.py)."""
