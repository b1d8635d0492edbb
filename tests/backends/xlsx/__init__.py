"""Tests of the local workbook backend (sheetsync.backends.xlsx)."""
