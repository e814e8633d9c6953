"""Settings read from the environment (never exits at import time)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SQLITE = f"sqlite:///{Path('instance/ruamkan.db').absolute()}"
LINE_API = "https://api.line.me"
LINE_DATA_API = "https://api-data.line.me"
SIMULATOR_SECRET = "local-simulator-secret"
SIMULATOR_TOKEN = "local-simulator-token"
IDEA_PHOTO_KEEP_DAYS = 180
"""PDPA: an idea's picture is deleted this many days after the idea closes (completed, rejected, withdrawn)."""
INBOX_KEEP_DAYS = 30
"""PDPA: days a webhook event (everything a person typed or tapped, raw) is kept once acted on. It also keeps a
redelivered event from being acted on twice (LINE redelivers soon after a delivery it saw fail: a month is a
wide margin), and is long enough to look into what a person said when something went wrong."""
OUTBOX_KEEP_DAYS = 30
"""PDPA: days a sent (or failed, cancelled, skipped) message is kept. What reads old outbox rows needs a week at
most (bot.services.log_retention says which); a month answers "was I told?" and shows why a send failed."""


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


@dataclass
class Settings:
    channel_secret: str = ""
    channel_access_token: str = ""
    line_api_base_url: str = LINE_API
    line_data_api_base_url: str = LINE_DATA_API
    database_url: str = DEFAULT_SQLITE
    timezone: str = "Asia/Bangkok"
    simulator: bool = False
    embedded_worker: bool = False
    """Run the scheduler and outbox sender inside the web process (the `make run` default)."""
    events_in: str = "web"
    """Where webhook events are acted on: "web" (the embedded default: right after the ack, in the same
    process) or "worker" (production: the web process only verifies, records and acks; the worker
    process claims and processes the recorded events)."""
    recover_pending: bool = False
    """Re-submit events a dead process left pending, every minute (on for servers, off in tests)."""
    max_body_bytes: int = 1_000_000
    process_threads: int = 1
    """Event lanes per process: each is one thread acting on its events in batches (more threads mostly
    add GIL contention; run more event processes instead)."""
    event_processes: int = 1
    """Event-processing processes of `python -m bot.worker` (RUAMKAN_EVENT_PROCESSES). By default one on
    SQLite, where more only queue for the one write turn (mixed benchmark: 1 process 279/290 events/s,
    2 processes 264/270, 3 processes 229/211), and two on PostgreSQL, where one process could not keep up
    with 200 text events/s when the machine was slow (188/193 done/s) and two did."""
    send_threads: int = 8
    """Threads beside the send loop, for the database work around a send and tasks after a commit
    (RUAMKAN_SEND_THREADS). The sends themselves wait on the gateway's event loop, not on threads; fetching an
    idea's picture has two threads of its own (sender.CONTENT_THREADS)."""
    session_timeout_minutes: int = 30
    idea_photo_keep_days: int = IDEA_PHOTO_KEEP_DAYS
    """RUAMKAN_IDEA_PHOTO_KEEP_DAYS: days a closed idea's picture is kept (the privacy notice says so)."""
    inbox_keep_days: int = INBOX_KEEP_DAYS
    """RUAMKAN_INBOX_KEEP_DAYS: days a processed webhook event is kept (the privacy notice says so)."""
    outbox_keep_days: int = OUTBOX_KEEP_DAYS
    """RUAMKAN_OUTBOX_KEEP_DAYS: days a finished outbox row is kept (the privacy notice says so)."""
    public_base_url: str = "http://127.0.0.1:8000"
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        simulator = _flag("RUAMKAN_SIMULATOR")
        env = os.environ
        database_url = env.get("DATABASE_URL", DEFAULT_SQLITE)
        public_base_url = env.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        # The simulator's token only opens its own stand-in API: by default, talk to that one.
        api_default = f"{public_base_url}/fake-line" if simulator else LINE_API
        settings = cls(
            channel_secret=env.get("LINE_CHANNEL_SECRET", SIMULATOR_SECRET if simulator else ""),
            channel_access_token=env.get("LINE_CHANNEL_ACCESS_TOKEN", SIMULATOR_TOKEN if simulator else ""),
            line_api_base_url=env.get("LINE_API_BASE_URL", api_default).rstrip("/"),
            line_data_api_base_url=env.get(
                "LINE_DATA_API_BASE_URL", env.get("LINE_API_BASE_URL", api_default if simulator else LINE_DATA_API)
            ).rstrip("/"),
            database_url=database_url,
            timezone=env.get("TZ_NAME", "Asia/Bangkok"),
            simulator=simulator,
            embedded_worker=_flag("RUAMKAN_EMBEDDED_WORKER"),
            events_in="worker" if env.get("RUAMKAN_EVENTS_IN", "web").strip().lower() == "worker" else "web",
            process_threads=int(env.get("RUAMKAN_PROCESS_THREADS", "1")),
            send_threads=int(env.get("RUAMKAN_SEND_THREADS", "8")),
            idea_photo_keep_days=int(env.get("RUAMKAN_IDEA_PHOTO_KEEP_DAYS", IDEA_PHOTO_KEEP_DAYS)),
            inbox_keep_days=int(env.get("RUAMKAN_INBOX_KEEP_DAYS", INBOX_KEEP_DAYS)),
            outbox_keep_days=int(env.get("RUAMKAN_OUTBOX_KEEP_DAYS", OUTBOX_KEEP_DAYS)),
            event_processes=int(env.get("RUAMKAN_EVENT_PROCESSES")
                                or (1 if database_url.startswith("sqlite") else 2)),
            public_base_url=public_base_url,
            recover_pending=True,
        )
        for key, value in overrides.items():
            setattr(settings, key, value)
        return settings

    def problems(self) -> list[str]:
        """What is missing for a real LINE channel (reported at start, not fatal)."""
        issues = []
        if not self.channel_secret:
            issues.append("LINE_CHANNEL_SECRET is not set: every webhook will be refused (400).")
        if not self.channel_access_token:
            issues.append("LINE_CHANNEL_ACCESS_TOKEN is not set: the bot cannot send messages.")
        return issues
