"""Event processing outside the web process: claim recorded webhook events, act on them, reply.

Production (Procfile) sets RUAMKAN_EVENTS_IN=worker, so a web process only
verifies, records and acknowledges; `python -m bot.worker` then runs this alongside its scheduler and
outbox loop. `python -m bot.event_worker` runs it alone (to scale event processing separately).
"""

from __future__ import annotations

import logging
import os
import signal
import threading

from bot.config import Settings
from bot.inbox import InboxPoller
from bot.line import LineGateway
from bot.processor import EventProcessor
from bot.runtime import freeze_startup_objects, warm_nlp
from bot.sender import Sender
from storage.db import Database

log = logging.getLogger("bot.event_worker")


class EventWorker:
    def __init__(self, db: Database, settings: Settings, gateway: LineGateway) -> None:
        from bot.handlers import load_all

        load_all()
        warm_nlp()  # load the model now, not on the first message
        self.sender = Sender(db, gateway, threads=settings.send_threads)
        self.processor = EventProcessor(db, settings, self.sender)
        from bot.spool import open_spool

        self.poller = InboxPoller(db, self.processor, spool=open_spool(settings.database_url))

    def start(self) -> EventWorker:
        self.poller.start()
        log.info("event worker %s polling the inbox", self.processor.worker_id)
        return self

    def stop(self) -> None:
        self.poller.stop()
        self.processor.shutdown()
        self.sender.shutdown()


def lower_priority() -> None:
    """Run below the web processes (RUAMKAN_WORKER_NICE, default 10): on a busy machine the kernel then
    gives the CPU to webhook acknowledgements first, and processing takes what is left."""
    try:
        os.setpriority(os.PRIO_PROCESS, 0, int(os.environ.get("RUAMKAN_WORKER_NICE", "10")))
    except (OSError, ValueError):
        log.info("could not lower this process's priority")


def run_one() -> None:
    """One event-processing process until SIGTERM/SIGINT."""
    lower_priority()
    settings = Settings.from_env()
    db = Database(settings.database_url)
    gateway = LineGateway(settings, pool_size=max(settings.send_threads * 2, 16))
    worker = EventWorker(db, settings, gateway)
    freeze_startup_objects()
    worker.start()
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    worker.stop()


def fork_event_processes(count: int) -> list[int]:
    """Fork `count` processes that each run `run_one` until told to stop; returns their pids.

    Call it before any thread starts, with no database connection open: each child opens its own.
    """
    children = []
    for _ in range(count):
        pid = os.fork()
        if pid == 0:
            try:
                run_one()
            finally:
                os._exit(0)
        children.append(pid)
    return children


def signal_children(children: list[int], signum: int) -> None:
    for child in children:
        try:
            os.kill(child, signum)
        except ProcessLookupError:
            pass


def wait_for_children(children: list[int]) -> None:
    for child in children:
        try:
            os.waitpid(child, 0)
        except ChildProcessError:
            pass


def main() -> None:
    """`python -m bot.event_worker`; RUAMKAN_EVENT_PROCESSES=N forks N processes (default: 1 on SQLite,
    2 on PostgreSQL, see Settings.event_processes)."""
    logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO"),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env()
    Database(settings.database_url).create_schema()
    count = settings.event_processes
    if count <= 1:
        run_one()
        return
    children = fork_event_processes(count)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, _frame: signal_children(children, signum))
    wait_for_children(children)


if __name__ == "__main__":
    main()
