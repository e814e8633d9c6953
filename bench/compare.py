"""Compare two commits with the webhook benchmark, runs interleaved: base, head, base, head, …

    python -m bench.compare BASE_REF [--db sqlite|postgresql] [--mix text|mixed] [--pairs 3]
                            [-- extra bench_webhook arguments, e.g. --skip-max --duration 10]

Single runs on a shared machine differ by ±30 %, so a before/after claim needs runs of both commits close
together in time. The base commit is checked out in a temporary git worktree and run with PYTHONPATH
pointing at it (the benchmark's child processes inherit it); head is this working tree. Prints each run
and the median of each side, and writes bench/results/compare-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.bench_webhook import RESULTS, ROOT

# (label, path into the benchmark's JSON)
FIGURES = (
    ("ack p99 ms", ("steady_bot", "latency_ms", "p99")),
    ("ack p99 from send ms", ("steady_bot", "latency_from_send_ms", "p99")),
    ("done/s steady", ("steady_bot", "processing", "processed_per_s")),
    ("replies/s steady", ("steady_bot", "processing", "replies_per_s")),
    ("fully processed/s steady", ("steady_bot", "processing", "fully_processed_per_s")),
    ("backlog at end", ("steady_bot", "processing", "backlog_end")),
    ("max acks/s", ("max_bot", "acks_per_s")),
    ("event worker cores", ("steady_bot", "cpu_cores", "event worker")),
    ("worker CPU ms per answered event", ("steady_bot", "cpu_ms_per_event", "event worker per answered event")),
    ("web CPU ms per ack", ("steady_bot", "cpu_ms_per_event", "web per ack")),
)


def dig(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def run_once(tree: Path, db: str, mix: str, extra: list[str]) -> dict[str, Any]:
    """One benchmark run of the code in `tree`; returns its JSON report."""
    results = tree / "bench" / "results"  # the benchmark writes into its own tree
    before = set(results.glob(f"webhook-{db}-{mix}-*.json"))
    env = dict(os.environ, PYTHONPATH=str(tree))
    subprocess.run([sys.executable, "-m", "bench.bench_webhook", "--db", db, "--mix", mix, "--skip-floor",
                    *extra], cwd=tree, env=env, check=True, stdout=subprocess.DEVNULL)
    written = sorted(set(results.glob(f"webhook-{db}-{mix}-*.json")) - before)
    if not written:
        raise RuntimeError(f"the benchmark in {tree} wrote no report")
    return json.loads(written[-1].read_text())


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    extra: list[str] = []
    if "--" in argv:
        at = argv.index("--")
        argv, extra = argv[:at], argv[at + 1:]
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", help="the commit to compare this working tree with (e.g. HEAD~3)")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--mix", choices=("text", "mixed"), default="text")
    parser.add_argument("--pairs", type=int, default=3)
    args = parser.parse_args(argv)

    RESULTS.mkdir(parents=True, exist_ok=True)
    worktree = Path(tempfile.mkdtemp(prefix="ruamkan-base-")) / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(worktree), args.base], cwd=ROOT, check=True)
    runs: dict[str, list[dict[str, Any]]] = {"base": [], "head": []}
    try:
        for pair in range(1, args.pairs + 1):
            for side, tree in (("base", worktree), ("head", ROOT)):
                report = run_once(tree, args.db, args.mix, extra)
                row = {label: dig(report, path) for label, path in FIGURES}
                runs[side].append(row)
                print(f"{side} {pair}: " + ", ".join(f"{k} {v}" for k, v in row.items()), flush=True)
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT, check=False)

    print(f"\nmedians of {args.pairs} interleaved runs ({args.db}, {args.mix}; base {args.base}):")
    medians: dict[str, dict[str, Any]] = {}
    for label, _ in FIGURES:
        values = {side: [r[label] for r in rows if r[label] is not None] for side, rows in runs.items()}
        medians[label] = {side: round(statistics.median(v), 2) if v else None for side, v in values.items()}
        print(f"  {label:<22} base {medians[label]['base']!s:>10}   head {medians[label]['head']!s:>10}")
    stamp = datetime.now().strftime("%Y%m%d_%H%M%S")
    out = RESULTS / f"compare-{args.db}-{args.mix}-{stamp}.json"
    out.write_text(json.dumps({"base": args.base, "db": args.db, "mix": args.mix, "extra": extra,
                               "runs": runs, "medians": medians}, indent=1))
    print(f"JSON: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
