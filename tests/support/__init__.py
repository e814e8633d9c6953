"""Test support: database fixtures, the chat dialogue helper, factories."""
