"""Helpers shared by the tests: builders, cases, paths, fakes. No tests here."""
