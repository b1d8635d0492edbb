"""Views of the books: output tables, charts, exports, statements."""
