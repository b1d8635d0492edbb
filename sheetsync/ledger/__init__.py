"""The treasurer's year: state, journal, closings, row identity, hand edits."""
