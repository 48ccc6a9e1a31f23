"""City statistics: the market's deals, listings, deposits and brokers in figures.

The shell's statistics read deals, listings, payments and brokers, so they sit in the
shell (`marketplace`), above every domain. `rules` is pure (grouping, suppression,
conversion); `queries` runs the SQL aggregates; `views` serves the pages and exports.
"""
