"""Processing capacity of the event worker alone: record N events, start the Procfile's worker, time the drain.

    python -m bench.bench_drain [--db sqlite|postgresql] [--mix text|mixed] [--events 3000] [--users 2000]
                                [--profile]

No web process and no load generator share the CPU, so this shows what acting on events costs: events
done per second, CPU seconds of the worker (and of PostgreSQL's backends) per event. The stand-in LINE
API answers every call after 300 ms, as in bench_webhook. `--profile` records the worker with py-spy
(`pip install py-spy`) and prints the functions with the most samples. `--mix mixed` records the mixed
workload's journeys instead of texts (onboarding and three journeys per user, taps typed, about
`--events` in all: one user per 16 events).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.bench_webhook import (
    LATENCY_S,
    RESULTS,
    SECRET,
    TOKEN,
    Proc,
    children,
    cpu_s,
    drop_database,
    free_port,
    fresh_database,
    postgres_cpu_s,
    procfile_command,
    seed,
    top_frames,
    wait_http,
)
from bench.workload import TEXTS, Ids, scripted_journeys, user_id
from bot.simulator.events import build_event


def status_counts(url: str) -> dict[str, int]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT status, count(*) FROM webhook_events GROUP BY status")).all()
        return {r[0]: int(r[1]) for r in rows}
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--mix", choices=("text", "mixed"), default="text")
    parser.add_argument("--events", type=int, default=3000)
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--latency", type=float, default=LATENCY_S, help="seconds the stand-in takes per call")
    parser.add_argument("--processes", type=int, default=None,
                        help="event processes (default: the worker's own, 1 on SQLite and 2 on PostgreSQL)")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)

    from bot.inbox import record
    from storage.db import Database

    stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
    workdir = Path(tempfile.mkdtemp(prefix=f"ruamkan-drain-{args.db}-"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = fresh_database(args.db, workdir, stamp)
    procs: list[Proc] = []
    try:
        ids = seed(url)
        rng = random.Random(11)
        db = Database(url)
        if args.mix == "mixed":
            users = [user_id("drain", i) for i in range(max(1, args.events // 16))]
            batch = scripted_journeys(Ids.from_dict(ids), users)
            args.events = len(batch)
        else:
            users = [user_id("drain", i) for i in range(args.users)]
            batch = [build_event("text", rng.choice(users), text=rng.choice(TEXTS)) for _ in range(args.events)]
        for start in range(0, len(batch), 200):
            record(db, batch[start:start + 200])
        db.dispose()

        base_env = {k: v for k, v in os.environ.items() if not k.startswith(("LINE_", "DATABASE_URL"))}
        port = free_port()
        procs.append(Proc("fake_line", [sys.executable, "-m", "bot.simulator.fake_line", "--port", str(port),
                                        "--latency", str(args.latency), "--fail-rate", "0", "--token", TOKEN],
                          base_env, workdir))
        stand_in = f"http://127.0.0.1:{port}/fake-line"
        wait_http(f"{stand_in}/_stand-in/stats")
        worker_env, worker_argv = procfile_command("worker")
        if args.processes:
            worker_env["RUAMKAN_EVENT_PROCESSES"] = str(args.processes)
        env = dict(base_env, LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN,
                   LINE_API_BASE_URL=stand_in, DATABASE_URL=url, **worker_env)
        pg_before = postgres_cpu_s()
        started = time.monotonic()
        worker = Proc("worker", worker_argv, env, workdir)
        procs.append(worker)
        profiler = None
        if args.profile:
            out = RESULTS / f"profile-drain-{args.db}-{stamp}.txt"
            profiler = subprocess.Popen(
                [str(Path(sys.executable).with_name("py-spy")), "record", "--pid", str(worker.pid),
                 "--subprocesses", "--format", "raw", "--nonblocking", "--rate", "100", "--output", str(out)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        pids: set[int] = {worker.pid}
        worker_cpu: dict[int, float] = {}
        done = done_at_start = 0
        cpu_at_start = 0.0
        first_done_at = None
        while time.monotonic() - started < args.timeout:
            time.sleep(0.25)
            pids |= set(children(worker.pid))
            for pid in pids:
                worker_cpu[pid] = max(worker_cpu.get(pid, 0.0), cpu_s(pid))
            counts = status_counts(url)
            done = counts.get("done", 0) + counts.get("failed", 0) + counts.get("ignored", 0)
            if done and first_done_at is None:
                # Start counting here: imports and loading the NLP model are not per-event costs.
                first_done_at, done_at_start = time.monotonic(), done
                cpu_at_start, pg_before = sum(worker_cpu.values()), postgres_cpu_s()
            if done >= args.events:
                break
        elapsed = time.monotonic() - (first_done_at or started)
        pg_cpu = postgres_cpu_s() - pg_before if args.db == "postgresql" else 0.0
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
            profiler.wait(timeout=60)
        cpu = sum(worker_cpu.values()) - cpu_at_start
        counted = max(done - done_at_start, 1)
        report = {
            "db": args.db, "mix": args.mix, "events": args.events, "done": done, "seconds": round(elapsed, 2),
            "events_per_s": round(counted / elapsed, 1) if elapsed else None,
            "worker_cores": round(cpu / elapsed, 2) if elapsed else None,
            "worker_cpu_ms_per_event": round(1000 * cpu / counted, 2),
            "postgres_cpu_ms_per_event": round(1000 * pg_cpu / counted, 2),
            "counts": status_counts(url),
        }
        print(json.dumps(report, indent=1))
        (RESULTS / f"drain-{args.db}-{stamp}.json").write_text(json.dumps(report, indent=1))
        if profiler is not None:
            for frame, share in top_frames(out, self_only=False, n=40):
                print(f"{share:5.1f}  {frame}")
    finally:
        for proc in reversed(procs):
            proc.stop()
        drop_database(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
