"""CPU cost of one webhook event, phase by phase, in one thread: record (the ack's database write),
process (dispatch + state, replies queued) and send (the replies through the worker's sender to a local
stand-in, marked sent).

    python -m bench.bench_event_cost [--db sqlite|postgresql] [--mix text|mixed] [--events 2000]
                                     [--profile process]

Numbers are thread CPU time (time.thread_time) per event for record and process, so other load on the
machine matters less than for the end-to-end benchmark; the send phase is the process's CPU per reply,
its sends all in flight at once on the gateway's loop (until 2026-11-30 10:00 it was one blocking send
at a time, in the calling thread, not marked sent); beside them, the SQL statements each phase sends per event.
`--batch N` acts on N events per transaction, as the worker does under load (default 1).
`--mix mixed` replays the mixed workload's journeys (onboarding, then three journeys per user, taps
typed). `--profile PHASE` prints the top functions of that phase (cProfile).
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
from collections import Counter
from pathlib import Path
from typing import Any

from bench.bench_webhook import drop_database, free_port, fresh_database, seed, wait_http
from bench.workload import TEXTS, Ids, scripted_journeys, user_id
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


class StatementCounter:
    """Counts the SQL statements a database's engines send (SQLAlchemy's before_cursor_execute)."""

    def __init__(self, db: Any) -> None:
        from sqlalchemy import event

        self.count = 0
        self.shapes: Counter[str] = Counter()
        self.phase = ""
        engines = {id(e): e for e in (db.engine, getattr(db, "autocommit_engine", None), getattr(db, "claim_engine", None))
                   if e is not None}
        for engine in engines.values():
            event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.count += 1
        self.shapes[f"{self.phase}: {' '.join(statement.split())[:90]}"] += 1

    def top(self, events: int, limit: int = 25) -> list[str]:
        """The most sent statement shapes, per event, by phase."""
        return [f"{n / events:6.3f}  {shape}" for shape, n in self.shapes.most_common(limit)]


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


def send_through_sender(db: Any, gateway: Any, rows: list[Any], profiler: cProfile.Profile | None) -> list[float]:
    """The replies through bot.sender.Sender, as the worker sends them: all in flight together on the
    gateway's send loop, then marked sent. The process's CPU per reply (the loop and the flusher
    run on threads of their own, which thread time would miss); one mean, no per-reply spread."""
    from bot.sender import Sender

    sender = Sender(db, gateway)
    sender.submit(rows[:20])  # starts the send loop and the flusher
    sender.wait_idle(60)
    rows = rows[20:]
    t0 = time.process_time()
    if profiler:
        profiler.enable()
    sender.submit(rows)
    idle = sender.wait_idle(300)
    if profiler:
        profiler.disable()
    spent = (time.process_time() - t0) * 1000 / max(1, len(rows))
    sender.shutdown()
    if not idle:
        raise SystemExit("the sender did not finish within 300 s")
    return [spent] * len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--mix", choices=("text", "mixed"), default="text")
    parser.add_argument("--events", type=int, default=2000, help="text mix: how many events")
    parser.add_argument("--users", type=int, default=500, help="mixed mix: users, about 17 events each")
    parser.add_argument("--batch", type=int, default=1,
                        help="process: events per call (process_batch), as the worker's lanes take them")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key (cumulative, tottime)")
    parser.add_argument("--profile", choices=("record", "process", "send"), default=None)
    parser.add_argument("--statements", action="store_true",
                        help="also print the statements each phase sends per event, most sent first")
    parser.add_argument("--pstats", type=Path, default=None, help="also write the profile here (pstats format)")
    args = parser.parse_args(argv)

    from bot.config import Settings
    from bot.handlers import load_all
    from bot.inbox import record
    from bot.line import LineGateway
    from bot.processor import EventProcessor
    from storage.db import Database

    workdir = Path(tempfile.mkdtemp(prefix="ruamkan-cost-"))
    url = fresh_database(args.db, workdir, time.strftime("%H%M%S"))
    port = free_port()
    stand_in = subprocess.Popen(
        [sys.executable, "-m", "bot.simulator.fake_line", "--port", str(port), "--latency", "0",
         "--fail-rate", "0", "--token", TOKEN],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        ids = seed(url)
        base = f"http://127.0.0.1:{port}/fake-line"
        wait_http(f"{base}/_stand-in/stats")
        settings = Settings(channel_secret="s", channel_access_token=TOKEN,
                            line_api_base_url=base,
                            line_data_api_base_url=base, database_url=url)
        db = Database(url)
        load_all()
        sender = CollectingSender()
        # `--batch N` is N events per transaction, however slow the machine: no time limit on a transaction.
        processor = EventProcessor(db, settings, sender, batch_seconds=3600.0)
        gateway = LineGateway(settings)
        rng = random.Random(7)
        users = [user_id("cost", i) for i in range(args.users)]
        if args.mix == "mixed":
            events = scripted_journeys(Ids.from_dict(ids), users)
        else:
            events = [build_event("text", rng.choice(users), text=rng.choice(TEXTS)) for _ in range(args.events)]
        # Warm-up: caches, compiled statements, the NLP model, users and conversations created.
        warm = len(events) // 4
        for event in events[:warm]:
            processor.process(record(db, [event])[0][0])
        events = events[warm:]
        sender.rows.clear()
        processor.redone.clear()
        statements = StatementCounter(db)

        profiles = {phase: cProfile.Profile(time.thread_time) if args.profile == phase else None
                    for phase in ("record", "process", "send")}
        row_ids: list[int] = []
        counts = [statements.count]
        statements.phase = "record"
        record_ms = timed(lambda e: row_ids.extend(r[0] for r in record(db, [e])), events, profiles["record"])
        counts.append(statements.count)
        statements.phase = "process"
        chunks = [row_ids[i:i + args.batch] for i in range(0, len(row_ids), args.batch)]
        process_ms = [ms / len(chunk) for chunk, ms in
                      zip(chunks, timed(processor.process_batch, chunks, profiles["process"]), strict=True)]
        counts.append(statements.count)
        rows = list(sender.rows)
        statements.phase = "send"
        send_ms = send_through_sender(db, gateway, rows, profiles["send"])
        counts.append(statements.count)
        report = {"db": args.db, "mix": args.mix, "batch": args.batch, "events": len(events), "replies": len(rows),
                  "transactions": len(chunks), "acted_on_again": dict(processor.redone)}
        for index, (name, costs) in enumerate((("record", record_ms), ("process", process_ms), ("send", send_ms))):
            if costs:
                report[name] = {"mean_ms": round(sum(costs) / len(costs), 3),
                                "p50_ms": round(percentile(costs, 0.5), 3),
                                "p99_ms": round(percentile(costs, 0.99), 3),
                                "statements_per_event": round((counts[index + 1] - counts[index]) / len(events), 2)}
        print(json.dumps(report, indent=1))
        if args.statements:
            print("\n".join(statements.top(len(events))))
        profiler = profiles.get(args.profile or "")
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(45)
            if args.pstats:
                profiler.dump_stats(str(args.pstats))
        db.dispose()
    finally:
        stand_in.terminate()
        drop_database(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
