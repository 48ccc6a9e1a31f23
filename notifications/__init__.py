"""Notifications: an inbox per user, email in the recipient's language, preferences per event."""
