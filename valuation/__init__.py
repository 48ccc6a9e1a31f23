"""Valuation (评估): indicative valuations, requests and formal reports of listings."""
