"""create_app(): settings, storage, LINE gateway, event processing, blueprints and CLI commands."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify

from bot.config import Settings
from bot.inbox import InboxWriter
from bot.line import LineGateway
from bot.logs import configure_logging
from bot.processor import EventProcessor
from bot.sender import Sender
from storage.db import Database

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, db: Database | None = None,
               create_schema: bool = True, seed_demo: bool = False, serving: bool = False) -> Flask:
    """The bot's Flask app. serving=True: this process serves HTTP itself (`make run`), so in the
    simulator it uploads the rich menus to its own stand-in once it answers; CLI commands do not."""
    settings = settings or Settings.from_env()
    configure_logging()
    for problem in settings.problems():
        log.warning(problem)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.ensure_ascii = False

    # Web processes that only acknowledge leave SQLite's checkpoints to the worker (see storage.db).
    database = db or Database(settings.database_url, checkpoints=settings.events_in != "worker")
    if create_schema:
        database.create_schema()
    if seed_demo:
        from bot.cli import seed_demo_data

        seed_demo_data(database)
    gateway = LineGateway(settings)
    sender = Sender(database, gateway, threads=settings.send_threads)
    processor = EventProcessor(database, settings, sender)

    app.extensions["ruamkan.settings"] = settings
    app.extensions["ruamkan.db"] = database
    app.extensions["ruamkan.gateway"] = gateway
    app.extensions["ruamkan.sender"] = sender
    app.extensions["ruamkan.processor"] = processor
    app.extensions["ruamkan.inbox_writer"] = InboxWriter(_inbox_for_acks(settings, database))

    from bot.handlers import load_all

    load_all()

    from bot.handlers.activities import qr_blueprint
    from bot.handlers.photos import photo_blueprint
    from bot.webhook import bp as webhook_bp

    app.register_blueprint(webhook_bp)
    app.register_blueprint(qr_blueprint)
    app.register_blueprint(photo_blueprint)

    @app.get("/healthz")
    def health() -> Any:
        return jsonify(ok=True, backlog=processor.backlog, sending=sender.backlog)

    @app.errorhandler(413)
    def too_large(_: Any) -> Any:
        return "request body too large", 413

    if settings.simulator:
        from bot.simulator.views import install_simulator

        app.extensions["ruamkan.fake_line"] = install_simulator(app, settings)
        if serving:
            _setup_rich_menus_when_ready(app)

    from bot.cli import register_cli

    register_cli(app)

    if settings.events_in == "web" and settings.recover_pending:
        _recover_pending_events(processor)

    if settings.embedded_worker:
        from bot.worker import start_embedded

        start_embedded(app)
    return app


def _inbox_for_acks(settings: Settings, database: Database) -> Database:
    """Where acknowledgements record events: the spool when the worker acts on them on SQLite (bot.spool)."""
    if settings.events_in == "worker":
        from bot.spool import open_spool

        spool = open_spool(database.url, checkpoints=False)
        if spool is not None:
            return spool
    return database


def _setup_rich_menus_when_ready(app: Flask) -> None:
    """In the simulator, upload the rich menus once the server answers (it runs in this process)."""
    import threading
    import time

    import requests

    def run() -> None:
        settings = app.extensions["ruamkan.settings"]
        for _ in range(60):
            try:
                requests.get(f"{settings.public_base_url}/healthz", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            log.warning("rich menus not set up: %s/healthz did not answer", settings.public_base_url)
            return
        try:
            from bot import richmenu

            with app.extensions["ruamkan.db"].session() as session:
                richmenu.setup(session, settings, app.extensions["ruamkan.gateway"])
            log.info("rich menus uploaded to the simulator")
        except Exception:  # noqa: BLE001 - the quick-reply menu works without them
            log.exception("rich menus not set up")

    threading.Thread(target=run, name="rk-richmenu", daemon=True).start()


def _recover_pending_events(processor: EventProcessor, every_s: float = 60.0) -> None:
    """Events recorded by a process that died before acting on them are picked up again (web mode)."""
    import threading

    def loop() -> None:
        stop = threading.Event()
        while not stop.wait(every_s):
            try:
                processor.recover()
            except Exception:  # noqa: BLE001 - try again next round
                log.exception("recovering pending events failed")

    threading.Thread(target=loop, name="rk-recover", daemon=True).start()
