"""Pictures sent in the chat (an idea's, an announcement's), at signed links LINE fetches (bot.services.photos)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app

from bot.services import photos

photo_blueprint = Blueprint("photos", __name__)


def _serve(kind: str, token: str, preview: bool = False) -> Response:
    """The picture a signed link names: 404 for a link we did not sign (or a picture gone or replaced), 403
    for one past its time."""
    settings = current_app.extensions["ruamkan.settings"]
    if not settings.channel_secret:
        abort(404)
    try:
        named = photos.read_link(settings.channel_secret, token, kind)
    except photos.LinkExpired:
        abort(403)
    if named is None:
        abort(404)
    with current_app.extensions["ruamkan.db"].session(readonly=True) as session:
        found = photos.served(session, kind, *named, preview=preview)
    if found is None:
        abort(404)
    content_type, content = found
    response = Response(content, mimetype=content_type)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


for _kind in photos.KINDS.values():
    photo_blueprint.add_url_rule(f"{_kind.path}/<token>", f"{_kind.name}_photo",
                                 lambda token, _name=_kind.name: _serve(_name, token))
    if _kind.previews:
        photo_blueprint.add_url_rule(f"{_kind.path}/<token>/preview", f"{_kind.name}_photo_preview",
                                     lambda token, _name=_kind.name: _serve(_name, token, preview=True))
