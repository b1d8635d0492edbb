"""Reading the input tabs: cells, rows, and one reader per tab, into a typed Book."""
