"""Benchmark the NLP router: load time, per-message latency (median, p99), messages/s, peak RSS.

Run: .venv/bin/python bench/bench_nlp.py [--repeat 20]
Run it as a fresh process: load time covers importing nlp, the model file and PyThaiNLP's dictionary.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="passes over the held-out texts")
    args = parser.parse_args()

    t0 = time.perf_counter()
    from nlp import route
    from nlp.model import load

    load()
    route("สวัสดีค่ะ")  # first call also loads the tokenizer dictionary
    load_s = time.perf_counter() - t0

    from nlp.data_io import read_examples

    texts = [ex.text for ex in read_examples(ROOT / "nlp" / "data" / "heldout.tsv")]
    lat: list[float] = []
    start = time.perf_counter()
    for _ in range(args.repeat):
        for t in texts:
            a = time.perf_counter()
            route(t)
            lat.append(time.perf_counter() - a)
    wall = time.perf_counter() - start
    lat.sort()
    p99 = lat[int(0.99 * (len(lat) - 1))]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    rows = [
        ("load time (import + model + tokenizer)", f"{load_s * 1000:.0f} ms", "≤ 1500 ms"),
        ("messages routed", f"{len(lat)}", ""),
        ("median latency per message", f"{statistics.median(lat) * 1000:.3f} ms", "≤ 0.5 ms"),
        ("p99 latency per message", f"{p99 * 1000:.3f} ms", ""),
        ("throughput, one core", f"{len(lat) / wall:,.0f} msg/s", "≥ 2,000 msg/s"),
        ("peak RSS", f"{rss_mb:.0f} MB", "≤ 150 MB"),
    ]
    w = max(len(r[0]) for r in rows)
    print(f"{'measure':<{w}}  {'value':>14}  target")
    for name, value, target in rows:
        print(f"{name:<{w}}  {value:>14}  {target}")


if __name__ == "__main__":
    main()
