"""The market's reference rates: kept by an administrator, imported from a file, read by all."""
