"""CPU cost of one webhook event, phase by phase, in one thread: record (the ack's database write),
process (dispatch + state, replies queued) and send (the reply through the gateway to a local stand-in).

    python -m bench.bench_event_cost [--db sqlite|postgresql] [--events 2000] [--profile process]

Numbers are thread CPU time (time.thread_time) per event, so other load on the machine matters less
than for the end-to-end benchmark. `--profile PHASE` prints the top functions of that phase (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.bench_webhook import drop_database, free_port, fresh_database, seed, wait_http
from bench.workload import TEXTS, user_id
from bot.simulator.events import build_event

TOKEN = "bench-cost-token"


class CollectingSender:
    """Stands in for bot.sender.Sender: keeps what the processor hands over."""

    def __init__(self) -> None:
        self.rows: list[Any] = []

    def submit(self, rows: list[Any]) -> None:
        self.rows.extend(rows)

    def fetch_profile(self, _user: str) -> None:
        pass

    def run_task(self, _task: Any) -> None:
        pass


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def timed(fn: Any, items: list[Any], profiler: cProfile.Profile | None) -> list[float]:
    costs = []
    for item in items:
        t0 = time.thread_time()
        if profiler:
            profiler.enable()
        fn(item)
        if profiler:
            profiler.disable()
        costs.append((time.thread_time() - t0) * 1000)
    return costs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key (cumulative, tottime)")
    parser.add_argument("--profile", choices=("record", "process", "send"), default=None)
    args = parser.parse_args(argv)

    from bot.config import Settings
    from bot.handlers import load_all
    from bot.inbox import record
    from bot.line import LineGateway
    from bot.processor import EventProcessor
    from bot.sender import send_row
    from storage.db import Database

    workdir = Path(tempfile.mkdtemp(prefix="ruamkan-cost-"))
    url = fresh_database(args.db, workdir, time.strftime("%H%M%S"))
    port = free_port()
    stand_in = subprocess.Popen(
        [sys.executable, "-m", "bot.simulator.fake_line", "--port", str(port), "--latency", "0",
         "--fail-rate", "0", "--token", TOKEN],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        seed(url)
        base = f"http://127.0.0.1:{port}/fake-line"
        wait_http(f"{base}/_stand-in/stats")
        settings = Settings(channel_secret="s", channel_access_token=TOKEN,
                            line_api_base_url=base,
                            line_data_api_base_url=base, database_url=url)
        db = Database(url)
        load_all()
        sender = CollectingSender()
        processor = EventProcessor(db, settings, sender)
        gateway = LineGateway(settings)
        rng = random.Random(7)
        users = [user_id("cost", i) for i in range(args.users)]
        events = [build_event("text", rng.choice(users), text=rng.choice(TEXTS)) for _ in range(args.events)]
        # Warm-up: caches, compiled statements, the NLP model, users and conversations created.
        for event in events[: args.events // 4]:
            processor.process(record(db, [event])[0][0])
        events = events[args.events // 4:]
        sender.rows.clear()

        profiles = {phase: cProfile.Profile(time.thread_time) if args.profile == phase else None
                    for phase in ("record", "process", "send")}
        ids: list[int] = []
        record_ms = timed(lambda e: ids.extend(r[0] for r in record(db, [e])), events, profiles["record"])
        process_ms = timed(processor.process, ids, profiles["process"])
        rows = list(sender.rows)
        send_ms = timed(lambda row: send_row(gateway, row), rows, profiles["send"])
        report = {"db": args.db, "events": len(events), "replies": len(rows)}
        for name, costs in (("record", record_ms), ("process", process_ms), ("send", send_ms)):
            if costs:
                report[name] = {"mean_ms": round(sum(costs) / len(costs), 3),
                                "p50_ms": round(percentile(costs, 0.5), 3),
                                "p99_ms": round(percentile(costs, 0.99), 3)}
        print(json.dumps(report, indent=1))
        profiler = profiles.get(args.profile or "")
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(45)
        db.dispose()
    finally:
        stand_in.terminate()
        drop_database(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
