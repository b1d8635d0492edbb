"""What the command line offers of the reports without loading them (pandas, openpyxl,
fpdf2 load only when a command runs): export kinds and statement file formats."""

from __future__ import annotations

# `sheetsync export KIND` -> the output table it exports ("" : the contributions rows).
EXPORT_KINDS = {
    "groups": "group_summary",
    "people": "people_summary",
    "payouts": "payouts",
    "contributions": "",
    "anomalies": "anomalies",
}

# `sheetsync statement -o FILE`: the file's extension -> the statement's format.
STATEMENT_FORMATS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
}
