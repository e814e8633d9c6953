"""Local chat simulator and stand-in LINE Messaging API (development and tests only)."""
