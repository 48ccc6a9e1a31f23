"""The deal ledger of both channels, public notices (公示), contract registration records."""
