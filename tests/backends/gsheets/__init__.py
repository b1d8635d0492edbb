"""Tests of the Google Sheets backend (sheetsync.backends.gsheets)."""
