"""`python -m bot.worker`: the scheduler (one leader among workers) and the outbox sender (every worker).

Settings come from the environment (bot.config). Extra knobs:
RUAMKAN_WORKER_THREADS (sends in flight, default 32), RUAMKAN_CLAIM_TIMEOUT_S (seconds before a row
left in ``sending`` by a dead worker is taken again, default 300), RUAMKAN_NO_SCHEDULER=1 (send only),
and, with RUAMKAN_EVENTS_IN=worker (the Procfile's production setup), the processing of webhook
events that the web processes only recorded (bot.event_worker); RUAMKAN_NO_EVENTS=1 turns that off.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from datetime import timedelta
from typing import Any

from bot.config import Settings
from bot.line import LineGateway
from bot.logs import configure_logging
from bot.outbox_delivery import CLAIM_TIMEOUT, OutboxSender, new_worker_id
from bot.runtime import freeze_startup_objects
from bot.scheduler import Scheduler
from storage.db import Database

log = logging.getLogger("bot.worker")


class Worker:
    """One worker process: an outbox sender plus (unless disabled) a lease-guarded scheduler."""

    def __init__(self, db: Database, gateway: LineGateway, *, threads: int = 32,
                 claim_timeout: timedelta = CLAIM_TIMEOUT, scheduler: bool = True,
                 worker_id: str | None = None) -> None:
        self.worker_id = worker_id or new_worker_id()
        self.sender = OutboxSender(db, gateway, worker_id=self.worker_id, threads=threads,
                                   claim_timeout=claim_timeout)
        self.scheduler = Scheduler(db, self.worker_id, quota=gateway.get_quota, gateway=gateway) if scheduler else None

    def start(self) -> Worker:
        self.sender.start()
        if self.scheduler:
            self.scheduler.start()
        log.info("worker %s started (scheduler %s)", self.worker_id, "on" if self.scheduler else "off")
        return self

    def stop(self) -> None:
        if self.scheduler:
            self.scheduler.shutdown()
        self.sender.stop()
        log.info("worker %s stopped", self.worker_id)


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def start_embedded(app: Any) -> Worker:
    """Run the worker inside the web process (the `make run` default); stopped at interpreter exit."""
    import atexit

    db = app.extensions["ruamkan.db"]
    gateway = app.extensions["ruamkan.gateway"]
    worker = Worker(db, gateway, threads=_env_int("RUAMKAN_WORKER_THREADS", 16)).start()
    app.extensions["ruamkan.worker"] = worker
    atexit.register(worker.stop)
    return worker


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Ruamkan worker: reminders, scheduled broadcasts, outbox delivery")
    parser.add_argument("--threads", type=int, default=_env_int("RUAMKAN_WORKER_THREADS", 32))
    parser.add_argument("--claim-timeout", type=float, default=_env_int("RUAMKAN_CLAIM_TIMEOUT_S", 300),
                        help="seconds before rows left in 'sending' by a dead worker are sent again")
    parser.add_argument("--no-scheduler", action="store_true", default=os.environ.get("RUAMKAN_NO_SCHEDULER") == "1",
                        help="only send outbox rows (another worker runs the jobs)")
    parser.add_argument("--no-events", action="store_true", default=os.environ.get("RUAMKAN_NO_EVENTS") == "1",
                        help="do not process recorded webhook events in this process")
    args = parser.parse_args(argv)
    configure_logging()
    from bot.event_worker import lower_priority

    lower_priority()  # background work yields the CPU to the web processes' acknowledgements
    settings = Settings.from_env()
    for problem in settings.problems():
        log.warning(problem)
    db = Database(settings.database_url)
    db.create_schema()
    extra = _fork_event_processes(settings, db) if not args.no_events else []
    gateway = LineGateway(settings, pool_size=max(args.threads * 2, 16))
    worker = Worker(db, gateway, threads=args.threads, claim_timeout=timedelta(seconds=args.claim_timeout),
                    scheduler=not args.no_scheduler).start()
    events = None
    if not args.no_events and settings.events_in == "worker":
        from bot.event_worker import EventWorker

        events = EventWorker(db, settings, gateway)
    freeze_startup_objects()
    if events is not None:
        events.start()
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()
    if events is not None:
        events.stop()
    if extra:
        from bot.event_worker import signal_children, wait_for_children

        signal_children(extra, signal.SIGTERM)
        wait_for_children(extra)
    worker.stop()
    gateway.close()
    db.dispose()


def _fork_event_processes(settings: Settings, db: Database) -> list[int]:
    """settings.event_processes = N: N-1 more processes that only act on webhook events, so event
    processing can use more than one core (each Python process has one GIL). Forked before any
    thread starts; each child opens its own connections. On SQLite they take the one write turn in
    order (storage.db.FileWriteLock); what they do outside a transaction (sending) runs in parallel."""
    count = settings.event_processes
    if settings.events_in != "worker" or count <= 1:
        return []
    db.dispose()
    from bot.event_worker import fork_event_processes

    children = fork_event_processes(count - 1)
    log.info("started %d extra event process(es): %s", len(children), children)
    return children


if __name__ == "__main__":
    main()
