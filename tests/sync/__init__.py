"""Tests of what a sync orchestrates (sheetsync.sync)."""
