"""`flask --app bot richmenu setup|show`: upload the per-role rich menus through the Messaging API."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from bot import richmenu

richmenu_cli = AppGroup("richmenu", help="Rich menus per role (resident, leader, staff).")


@richmenu_cli.command("setup")
def setup_command() -> None:
    """Create, draw and upload the three menus; set the resident menu as the default; link staff/leaders."""
    from sqlalchemy import select

    from storage.models import User

    db = current_app.extensions["ruamkan.db"]
    gateway = current_app.extensions["ruamkan.gateway"]
    settings = current_app.extensions["ruamkan.settings"]
    with db.session() as session:
        created = richmenu.setup(session, settings, gateway)
        linked = 0
        for user in session.scalars(select(User).where(User.role != "resident", User.is_active.is_(True))):
            linked += richmenu.link_for_role(session, gateway, user.line_user_id, user.role)
    for role, rid in created.items():
        click.echo(f"{role}: {rid}")
    click.echo(f"linked {linked} staff/leader users")


@richmenu_cli.command("render")
@click.argument("role", type=click.Choice(sorted(richmenu.MENUS)))
@click.argument("path", type=click.Path(dir_okay=False))
def render_command(role: str, path: str) -> None:
    """Write the menu image of ROLE to PATH (to check it before uploading)."""
    with open(path, "wb") as out:
        out.write(richmenu.render_png(role))
    click.echo(path)
