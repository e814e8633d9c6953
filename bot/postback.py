"""Postback data: 'action?key=value&…', at most 300 characters as LINE requires."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

MAX_DATA = 300


class PostbackTooLong(ValueError):
    pass


def encode(action: str, **params: object) -> str:
    data = encode_kept(action, **params)
    if len(data) > MAX_DATA:
        raise PostbackTooLong(f"postback data is {len(data)} characters (max {MAX_DATA}): {data[:60]}…")
    return data


def encode_kept(action: str, **params: object) -> str:
    """Postback data kept in a conversation to run later, never sent to LINE (so no length limit)."""
    query = urlencode({k: v for k, v in params.items() if v is not None})
    return f"{action}?{query}" if query else action


def decode(data: str) -> tuple[str, dict[str, str]]:
    """Never raises: unknown shapes come back as (data, {})."""
    action, _, query = (data or "").partition("?")
    try:
        params = dict(parse_qsl(query, keep_blank_values=True))
    except ValueError:
        params = {}
    return action.strip(), params
