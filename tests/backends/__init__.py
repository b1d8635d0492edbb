"""Tests of the local workbook and Google Sheets backends."""
