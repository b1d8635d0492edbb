"""Measured reliability: faults, crashes, fuzzing, hand edits, locks, security."""
