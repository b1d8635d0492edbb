"""Benchmarks of sheetsync against the usual gspread-dataframe and pandas ways.

Run with `make bench` (or `python -m benchmarks --quick`); figures in RESULTS.md.
"""
