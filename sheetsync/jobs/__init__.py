"""Nightly jobs: job files, the run, its lock, log and progress."""
