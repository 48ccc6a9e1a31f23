"""Roadshows and events (路演): online, at the physical market, or both; agenda, registration, interest."""
