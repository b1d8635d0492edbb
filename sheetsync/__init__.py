"""sheetsync: a contributive-budget spreadsheet in, exact books out."""

__version__ = "0.1.0"
