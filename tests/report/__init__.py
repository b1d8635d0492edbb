"""Tests of the views of the books: tables, charts, exports, statements."""
