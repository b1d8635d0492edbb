"""Tests of nightly jobs."""
