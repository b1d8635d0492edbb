"""Tests of the command line (sheetsync.cli)."""
