"""The local workbook backend: reading, part surgery, sheets, charts, init."""
