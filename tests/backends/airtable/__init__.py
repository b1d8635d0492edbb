"""Tests of the Airtable backend (sheetsync.backends.airtable)."""
