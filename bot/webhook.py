"""POST /callback: verify the signature, record each event once, acknowledge at once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging

from flask import Blueprint, current_app, request

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)


def signature_ok(body: bytes, signature: str | None, secret: str) -> bool:
    """HMAC-SHA256 of the raw body, base64, compared in constant time."""
    if not signature or not secret:
        return False
    expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
    return hmac.compare_digest(expected, signature.encode("ascii", "replace"))


@bp.post("/callback")
def callback() -> tuple[str, int]:
    settings = current_app.extensions["ruamkan.settings"]
    body = request.get_data(cache=False)
    if not signature_ok(body, request.headers.get("X-Line-Signature"), settings.channel_secret):
        return "invalid signature", 400
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return "body is not JSON", 400
    events = payload.get("events") if isinstance(payload, dict) else None
    if not isinstance(events, list):
        return "no events list", 400
    events = [e for e in events if isinstance(e, dict)]
    try:
        new = current_app.extensions["ruamkan.inbox_writer"].record(events)
    except Exception:  # noqa: BLE001 - the database or the writer failed: LINE may redeliver
        log.exception("could not record webhook events")
        # Not a 500: LINE redelivers on any non-2xx, and nothing was half-done.
        return "storage unavailable, please redeliver", 503
    if new and settings.events_in == "web":
        current_app.extensions["ruamkan.processor"].submit(new)
    return "OK", 200
