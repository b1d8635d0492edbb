"""Tests of the treasurer's year: closings, journal, state."""
