"""Demo market: generated organisations, people and listings for `make run`."""
